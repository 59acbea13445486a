#!/usr/bin/env bash
# The app's translations (gettext domain "tribelens"; docs/gnome.md).
#   scripts/translations.sh pot          re-extract po/tribelens.pot from the Swift sources and
#                                        merge it into every po/LANG.po (then translate, commit)
#   scripts/translations.sh build DIR    compile po/LANG.po into DIR/LANG/LC_MESSAGES/tribelens.mo
#   scripts/translations.sh check        fail if a string shown to users is not marked
#                                        (scripts/unmarked-strings.py), the .pot is stale or a
#                                        .po has untranslated, fuzzy or format-mismatched entries
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
domain=tribelens
for tool in xgettext msgfmt msgmerge msgcmp; do
  command -v "$tool" >/dev/null || { echo "translations: $tool is missing (apt-get install gettext)" >&2; exit 1; }
done

# Swift is read as C: L10n.tr("...") and L10n.plural("...", "...", n) are the markers. Only
# files that use L10n are scanned (multi-line Swift literals elsewhere would confuse the C lexer).
extract() {
  grep -rl --include='*.swift' 'L10n\.' Sources/TribeLens | LC_ALL=C sort > "$1.files"
  xgettext -L C --from-code=UTF-8 --keyword= --keyword=tr --keyword=plural:1,2 \
    --add-comments=Translators: --package-name=TribeLens --msgid-bugs-address=none \
    --no-location --sort-output -o "$1" -f "$1.files"
  rm -f "$1.files"
}

case "${1:-}" in
  pot)
    extract po/$domain.pot
    for po in po/*.po; do msgmerge --quiet --update --backup=none --no-location --sort-output "$po" po/$domain.pot; done
    echo "po/$domain.pot updated; translate the new entries in po/*.po"
    ;;
  build)
    out="${2:?usage: translations.sh build DIR}"
    for po in po/*.po; do
      lang="$(basename "$po" .po)"
      mkdir -p "$out/$lang/LC_MESSAGES"
      msgfmt --check --output-file="$out/$lang/LC_MESSAGES/$domain.mo" "$po"
    done
    ;;
  check)
    python3 scripts/unmarked-strings.py --allow scripts/unmarked-strings.allow Sources/TribeLens || exit 1
    tmp="$(mktemp -d)"; trap 'rm -rf "$tmp"' EXIT
    extract "$tmp/$domain.pot"
    # Same messages as the committed template (the header's date may differ).
    if ! msgcmp --use-untranslated "$tmp/$domain.pot" po/$domain.pot 2>"$tmp/a" || \
       ! msgcmp --use-untranslated po/$domain.pot "$tmp/$domain.pot" 2>"$tmp/b"; then
      cat "$tmp/a" "$tmp/b" 2>/dev/null >&2 || true  # b is missing when the first comparison failed
      echo "translations: po/$domain.pot is stale; run scripts/translations.sh pot" >&2; exit 1
    fi
    status=0
    for po in po/*.po; do
      msgfmt --check --statistics --output-file=/dev/null "$po" 2>"$tmp/stats" || status=1
      stats="$(cat "$tmp/stats")"
      echo "$po: $stats"
      case "$stats" in *untranslated*|*fuzzy*) echo "translations: $po is incomplete" >&2; status=1 ;; esac
      msgcmp "$po" po/$domain.pot || status=1  # every template message is in the .po
    done
    exit $status
    ;;
  *)
    sed -n '2,8p' "$0" >&2; exit 2 ;;
esac

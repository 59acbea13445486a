import FaceKit

/// A backend's name and description as the window shows them: translated for the plugins that
/// ship, looked up by backend id (docs/plugin-abi.md, "Display strings"); a plugin of the user's
/// own shows the strings its table carries. The English here is the plugins' own text
/// (`BackendTextTests` compares them), so an untranslated locale reads the same.
enum BackendText {
    static func displayName(_ info: BackendInfo) -> String {
        switch info.id {
        case "sface": L10n.tr("Face embeddings (SFace) — recommended")
        case "scratch-cnn": L10n.tr("Scratch CNN (write-up)")
        case "vgg16-transfer": L10n.tr("VGG16 transfer (write-up)")
        default: info.displayName
        }
    }

    static func description(_ info: BackendInfo) -> String {
        switch info.id {
        case "sface":
            L10n.tr("OpenCV's SFace face-recognition network turns every aligned face into an embedding; a small classifier learns your members from them in seconds, and faces unlike every member are called unknown. Needs the SFace and YuNet model files.")
        case "scratch-cnn":
            // xgettext:no-c-format
            L10n.tr("The write-up's small CNN trained from scratch: three 3x3 convolutions without activation, two sigmoid dense layers. Fast; about 70% on the write-up's 24 members.")
        case "vgg16-transfer":
            // xgettext:no-c-format
            L10n.tr("VGG16 pretrained on ImageNet with blocks 1-4 frozen and a new top, as in the write-up (about 80% on its 24 members). Needs Keras' VGG16 weights file.")
        default: info.description
        }
    }
}

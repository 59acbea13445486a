// The parts of GTK4/GLib that Swift's importer cannot see (function-like macros, variadic
// functions), re-exposed as small static inline functions. Keep this thin: logic goes in Swift.
#ifndef TRIBELENS_CGTK_SHIM_H
#define TRIBELENS_CGTK_SHIM_H
#include <gtk/gtk.h>
#include <glib-unix.h>
#include <libintl.h>  // gettext: the app's own translations (L10n.swift)
#include <locale.h>

G_BEGIN_DECLS

// libdispatch's hooks for driving the main queue from a foreign run loop (platform notes).
extern void *_dispatch_get_main_queue_handle_4CF(void);
extern void _dispatch_main_queue_callback_4CF(void *msg);

static inline gulong tl_signal_connect(gpointer instance, const gchar *signal, GCallback handler,
                                       gpointer data, GClosureNotify destroy) {
    return g_signal_connect_data(instance, signal, handler, data, destroy, (GConnectFlags)0);
}

static inline GType tl_type_file_list(void) { return GDK_TYPE_FILE_LIST; }
static inline GType tl_type_file(void) { return G_TYPE_FILE; }
static inline GType tl_type_string(void) { return G_TYPE_STRING; }
static inline gboolean tl_true(void) { return TRUE; }
static inline gboolean tl_false(void) { return FALSE; }

// Accessible name and description: the variadic setter takes a -1 terminator.
static inline void tl_accessible_set_label(GtkWidget *widget, const char *label) {
    gtk_accessible_update_property(GTK_ACCESSIBLE(widget), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}
static inline void tl_accessible_set_description(GtkWidget *widget, const char *description) {
    gtk_accessible_update_property(GTK_ACCESSIBLE(widget), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                   description, -1);
}

// A drawing area that assistive technology announces as an image (the role is construct-only).
static inline GtkWidget *tl_drawing_area_new_image(void) {
    return GTK_WIDGET(g_object_new(GTK_TYPE_DRAWING_AREA, "accessible-role", GTK_ACCESSIBLE_ROLE_IMG, NULL));
}

// GdkFileList travels in a GValue as a boxed pointer.
static inline GSList *tl_value_get_files(const GValue *value) {
    if (value == NULL || !G_VALUE_HOLDS(value, GDK_TYPE_FILE_LIST)) return NULL;
    GdkFileList *list = g_value_get_boxed(value);
    return list ? gdk_file_list_get_files(list) : NULL;
}

// Light or dark Adwaita for the whole app (g_object_set is variadic).
static inline void tl_settings_set_prefer_dark(gboolean dark) {
    GtkSettings *settings = gtk_settings_get_default();
    if (settings != NULL) g_object_set(settings, "gtk-application-prefer-dark-theme", dark, NULL);
}
static inline gboolean tl_settings_get_prefer_dark(void) {
    gboolean dark = FALSE;
    GtkSettings *settings = gtk_settings_get_default();
    if (settings != NULL) g_object_get(settings, "gtk-application-prefer-dark-theme", &dark, NULL);
    return dark;
}

G_END_DECLS
#endif

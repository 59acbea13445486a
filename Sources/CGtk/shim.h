// The parts of GTK4/GLib that Swift's importer cannot see (function-like macros, variadic
// functions), re-exposed as small static inline functions. Keep this thin: logic goes in Swift.
#ifndef TRIBELENS_CGTK_SHIM_H
#define TRIBELENS_CGTK_SHIM_H
#include <gtk/gtk.h>

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

G_END_DECLS
#endif

// No console window next to the app on Windows release builds.
#![cfg_attr(all(not(debug_assertions), target_os = "windows"), windows_subsystem = "windows")]

fn main() {
    // WebKitGTK's DMA-BUF renderer costs about 85 MB more per window here
    // (measured with scripts/measure-memory.sh) and is known to leave the
    // window blank on some GPU drivers; a text reader gains nothing from it.
    // Set before GTK starts and before any thread exists; a user's own
    // setting wins.
    #[cfg(target_os = "linux")]
    if std::env::var_os("WEBKIT_DISABLE_DMABUF_RENDERER").is_none() {
        std::env::set_var("WEBKIT_DISABLE_DMABUF_RENDERER", "1");
    }
    factdesk_desktop::run();
}

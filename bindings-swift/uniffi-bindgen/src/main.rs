//! `uniffi-bindgen` built from the workspace's pinned uniffi, so generated
//! Swift always matches the scaffolding in `composio-swift`.

fn main() {
    uniffi::uniffi_bindgen_main()
}

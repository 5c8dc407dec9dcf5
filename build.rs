// The default theme is compiled into the binary (src/theme.rs); rebuild when
// any of its files change, which include_dir alone does not track on stable.
fn main() {
    println!("cargo:rerun-if-changed=themes/default");
}

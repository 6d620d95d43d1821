//! The README's table of final images is generated from the data in `core/src/knowledge`:
//! this test keeps the two equal (print the table with `cargo test --test readme_tables --
//! --nocapture` after changing the data, and paste it).

use dfharden_core::knowledge::final_images::markdown_table;
use dfharden_core::knowledge::DATA_CHECKED;

#[test]
fn readme_lists_the_final_images_of_the_data() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md")).unwrap();
    let table = markdown_table(DATA_CHECKED);
    println!("{table}");
    assert!(readme.contains(&table), "README.md's final-image table differs from the data; paste:\n{table}");
}

fn main() {
    let list = std::fs::read_to_string("/tmp/corpus.list").unwrap();
    let mut r2 = std::collections::BTreeMap::new();
    let s = dfharden_core::Settings::default();
    for p in list.lines() {
        let t = std::fs::read_to_string(p).unwrap_or_default();
        let o = dfharden_core::fix(&t, &s);
        let mut codes: Vec<_> = o.applied.iter().filter(|a| a.round >= 2).map(|a| a.code).collect();
        codes.sort(); codes.dedup();
        for c in codes { *r2.entry(c).or_insert(0) += 1; }
    }
    println!("{r2:?}");
}

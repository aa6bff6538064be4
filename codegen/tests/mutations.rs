//! Robustness: thousands of seeded random mutations of the real specs (delete, duplicate,
//! retype, rename, re-point `$ref`, odd text) through load → validate → generate, in process.
//! No mutant may panic, abort or reach progenitor with something it fails on, and every
//! rejection must be placed inside the text. Bounded in count and time; a failure prints the
//! seed (rerun it with `OTC_MUTATION_SEED=<seed>`) and the mutations.

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::{Map, Value, json};

/// Mutants per run, and the time after which the run stops early (slow machines).
const MUTANTS: usize = 2_000;
const BUDGET: Duration = Duration::from_secs(40);
const DEFAULT_SEED: u64 = 0x07c_2026_0013;

/// SplitMix64: small, seedable, good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound.max(1) as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

fn seed() -> u64 {
    match std::env::var("OTC_MUTATION_SEED") {
        Ok(text) => {
            let text = text.trim();
            let parsed = match text.strip_prefix("0x") {
                Some(hex) => u64::from_str_radix(hex, 16),
                None => text.parse(),
            };
            parsed.unwrap_or_else(|_| panic!("OTC_MUTATION_SEED must be a number, got `{text}`"))
        }
        Err(_) => DEFAULT_SEED,
    }
}

/// Prints what to rerun when a mutant panics (no `catch_unwind`: the panic still fails the test).
struct Reproduce<'a> {
    seed: u64,
    index: usize,
    mutations: &'a [String],
}

impl Drop for Reproduce<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!(
                "mutant {} of OTC_MUTATION_SEED={:#x} panicked; mutations:\n  {}",
                self.index,
                self.seed,
                self.mutations.join("\n  ")
            );
        }
    }
}

/// One path item of a real spec with the components it needs: small enough that progenitor
/// runs in milliseconds, so thousands of mutants fit the budget.
fn slices() -> Vec<Value> {
    let specs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
    let mut slices = Vec::new();
    for name in ["iam", "ims", "modelarts"] {
        let spec = otc_codegen::load::load(&specs.join(format!("{name}.yaml"))).expect("the real specs load");
        let root = &spec.raw;
        for (path, item) in root["paths"].as_object().expect("paths") {
            let mut slice = Map::new();
            for (key, value) in root.as_object().expect("a mapping") {
                if key != "paths" && key != "components" {
                    slice.insert(key.clone(), value.clone());
                }
            }
            slice.insert("paths".into(), json!({ path: item }));
            let mut components = Map::new();
            if let Some(schemes) = root.pointer("/components/securitySchemes") {
                components.insert("securitySchemes".into(), schemes.clone());
            }
            let mut pending = vec![item.clone()];
            while let Some(node) = pending.pop() {
                for reference in references(&node) {
                    let Some(target) = reference.strip_prefix("#/components/") else { continue };
                    let Some((kind, name)) = target.split_once('/') else { continue };
                    let Some(found) = root.pointer(&format!("/components/{kind}/{name}")) else { continue };
                    let section = components.entry(kind).or_insert_with(|| json!({}));
                    if section.get(name).is_none() {
                        section[name] = found.clone();
                        pending.push(found.clone());
                    }
                }
            }
            slice.insert("components".into(), Value::Object(components));
            slices.push(Value::Object(slice));
        }
    }
    slices
}

fn references(node: &Value) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![node];
    while let Some(node) = stack.pop() {
        match node {
            Value::Object(map) => {
                if let Some(reference) = map.get("$ref").and_then(Value::as_str) {
                    found.push(reference.to_owned());
                }
                stack.extend(map.values());
            }
            Value::Array(items) => stack.extend(items),
            _ => {}
        }
    }
    found
}

/// Every node's pointer (the root excluded).
fn pointers(root: &Value) -> Vec<String> {
    let mut found = Vec::new();
    let mut stack = vec![(String::new(), root)];
    while let Some((pointer, node)) = stack.pop() {
        match node {
            Value::Object(map) => {
                for (key, child) in map {
                    let child_pointer = otc_codegen::tree::push(&pointer, key);
                    found.push(child_pointer.clone());
                    stack.push((child_pointer, child));
                }
            }
            Value::Array(items) => {
                for (index, child) in items.iter().enumerate() {
                    let child_pointer = otc_codegen::tree::push(&pointer, &index.to_string());
                    found.push(child_pointer.clone());
                    stack.push((child_pointer, child));
                }
            }
            _ => {}
        }
    }
    found.sort();
    found
}

fn split(pointer: &str) -> (&str, String) {
    let (parent, last) = pointer.rsplit_once('/').expect("not the root");
    (parent, last.replace("~1", "/").replace("~0", "~"))
}

/// A key another name converts to the same Rust name as (or that YAML might confuse).
fn variant(key: &str, rng: &mut Rng) -> String {
    let mut chars = key.chars();
    let first = chars.next().unwrap_or('x');
    let flipped: String = if first.is_uppercase() {
        first.to_lowercase().chain(chars).collect()
    } else {
        first.to_uppercase().chain(chars).collect()
    };
    let options = [flipped, format!("{key}_"), format!("_{key}"), key.replace('_', "-"), key.to_uppercase()];
    rng.pick(&options).clone()
}

fn odd_values() -> Vec<Value> {
    vec![
        Value::Null,
        json!(true),
        json!(0),
        json!(-1),
        json!(1.5),
        json!(""),
        json!("x"),
        json!([]),
        json!({}),
        json!([{}]),
        json!({"$ref": "#/components/schemas/Nope"}),
        json!({"type": "object", "properties": {"a": {"type": "string"}}}),
        json!({"type": "string", "enum": ["a", "A", "unrecognized"]}),
        json!({"allOf": [{"$ref": "#"}]}),
        json!("ü\u{0}\u{feff}"),
    ]
}

/// One structural mutation of the tree; returns what it did.
fn mutate_tree(root: &mut Value, rng: &mut Rng) -> Option<String> {
    let all = pointers(root);
    let pointer = rng.pick(&all).clone();
    let (parent_pointer, key) = split(&pointer);
    match rng.below(5) {
        0 => {
            let parent = root.pointer_mut(parent_pointer)?;
            match parent {
                Value::Object(map) => map.shift_remove(&key).map(|_| format!("delete {pointer}")),
                Value::Array(items) => {
                    let index: usize = key.parse().ok()?;
                    (index < items.len()).then(|| items.remove(index)).map(|_| format!("delete {pointer}"))
                }
                _ => None,
            }
        }
        1 => {
            let copy = root.pointer(&pointer)?.clone();
            let other = variant(&key, rng);
            match root.pointer_mut(parent_pointer)? {
                Value::Object(map) => {
                    map.insert(other.clone(), copy);
                    Some(format!("duplicate {pointer} as `{other}`"))
                }
                Value::Array(items) => {
                    items.push(copy);
                    Some(format!("duplicate {pointer} at the end"))
                }
                _ => None,
            }
        }
        2 => {
            let value = rng.pick(&odd_values()).clone();
            let description = format!("retype {pointer} to {value}");
            *root.pointer_mut(&pointer)? = value;
            Some(description)
        }
        3 => {
            let other = variant(&key, rng);
            let Value::Object(map) = root.pointer_mut(parent_pointer)? else { return None };
            let value = map.shift_remove(&key)?;
            map.insert(other.clone(), value);
            Some(format!("rename {pointer} to `{other}`"))
        }
        _ => {
            let refs: Vec<&String> = all.iter().filter(|p| p.ends_with("/$ref")).collect();
            if refs.is_empty() {
                return None;
            }
            let at = (*rng.pick(&refs)).clone();
            let own = at.trim_end_matches("/$ref").to_owned();
            let components: Vec<&String> =
                all.iter().filter(|p| p.starts_with("/components/") && p.matches('/').count() == 3).collect();
            let target = match rng.below(5) {
                0 => format!("#{own}"),
                1 if !components.is_empty() => format!("#{}", rng.pick(&components)),
                2 => "#/components/schemas/Nowhere".to_owned(),
                3 => "other.yaml#/components/schemas/X".to_owned(),
                _ => "#".to_owned(),
            };
            *root.pointer_mut(&at)? = Value::String(target.clone());
            Some(format!("re-point {at} to {target}"))
        }
    }
}

const ODD_TEXT: [&str; 14] =
    ["\t", "{", "[", ": ", "&a ", "*a ", "!!binary ", "\u{feff}", "\"", "- ", "---\n", "%YAML 1.2\n", "\u{0}", "'"];

/// One textual mutation of the YAML; returns what it did.
fn mutate_text(text: &mut String, rng: &mut Rng) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let line = rng.below(lines.len());
    match rng.below(4) {
        0 => {
            let mut changed: Vec<&str> = lines.clone();
            changed.insert(line, lines[line]);
            *text = changed.join("\n");
            format!("duplicate line {}", line + 1)
        }
        1 => {
            let mut changed = lines.clone();
            changed.remove(line);
            *text = changed.join("\n");
            format!("delete line {}", line + 1)
        }
        2 => {
            let odd = *rng.pick(&ODD_TEXT);
            let mut changed: Vec<String> = lines.iter().map(|line| (*line).to_owned()).collect();
            let target = &mut changed[line];
            let at = target.char_indices().map(|(i, _)| i).nth(rng.below(target.chars().count() + 1));
            target.insert_str(at.unwrap_or(target.len()), odd);
            *text = changed.join("\n");
            format!("insert {odd:?} into line {}", line + 1)
        }
        _ => {
            let cut = text.char_indices().map(|(i, _)| i).nth(rng.below(text.chars().count())).unwrap_or(0);
            text.truncate(cut);
            format!("truncate at byte {cut}")
        }
    }
}

/// What a mutant's outcome must satisfy; `Err` says how it did not.
fn check(text: &str, outcome: &otc_codegen::Result<otc_codegen::Generated>) -> Result<(), String> {
    let Err(error) = outcome else { return Ok(()) };
    let lines = text.lines().count().max(1) + 1;
    for diagnostic in &error.diagnostics {
        let (line, column) = diagnostic.location.position();
        if diagnostic.file != Path::new("mutant.yaml") || line == 0 || line > lines || column == 0 {
            return Err(format!("not placed in the text ({lines} lines): {diagnostic}"));
        }
        for unknown in ["progenitor failed", "progenitor refused", "progenitor produced"] {
            if diagnostic.message.contains(unknown) {
                return Err(format!("validation let through what progenitor fails on: {diagnostic}"));
            }
        }
    }
    Ok(())
}

#[test]
fn random_mutations_of_the_real_specs_never_panic_and_every_rejection_is_located() {
    let seed = seed();
    let mut rng = Rng(seed);
    let slices = slices();
    let started = Instant::now();
    let (mut rejected, mut generated, mut failures) = (0, 0, Vec::new());
    let mut count = 0;
    while count < MUTANTS && started.elapsed() < BUDGET {
        let mut tree = rng.pick(&slices).clone();
        let mut mutations = Vec::new();
        for _ in 0..1 + rng.below(3) {
            mutations.extend(mutate_tree(&mut tree, &mut rng));
        }
        let mut text = serde_yaml::to_string(&tree).expect("JSON serializes as YAML");
        if rng.below(3) == 0 {
            mutations.push(mutate_text(&mut text, &mut rng));
        }
        let guard = Reproduce { seed, index: count, mutations: &mutations };
        let outcome = otc_codegen::load::parse(Path::new("mutant.yaml"), &text)
            .and_then(|spec| otc_codegen::generate_spec(&spec, "mutant.yaml"));
        drop(guard);
        match &outcome {
            Ok(_) => generated += 1,
            Err(_) => rejected += 1,
        }
        if let Err(problem) = check(&text, &outcome) {
            failures.push(format!("mutant {count}: {problem}\n  mutations: {}", mutations.join("; ")));
        }
        count += 1;
    }
    eprintln!("{count} mutants of OTC_MUTATION_SEED={seed:#x}: {rejected} rejected, {generated} generated");
    assert!(count >= 200, "only {count} mutants in {BUDGET:?}: the test no longer proves much");
    assert!(
        failures.is_empty(),
        "OTC_MUTATION_SEED={seed:#x}: {} of {count} mutants failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

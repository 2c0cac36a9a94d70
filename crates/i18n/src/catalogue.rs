//! The parts of the catalogue, parsed into one Fluent bundle per language.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::{LazyLock, PoisonError, RwLock};

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use fluent_syntax::ast;

use crate::lang::{FILES, Lang};

/// One crate's share of the catalogue: `(language code, Fluent source)` per language.
pub struct Part {
    name: &'static str,
    files: &'static [(&'static str, &'static str)],
}

/// The domain's messages, always in the catalogue.
static DOMAIN: Part = Part::new("domain", FILES);

static CATALOGUE: LazyLock<RwLock<Catalogue>> = LazyLock::new(|| {
    let mut catalogue = Catalogue { parts: Vec::new(), languages: Lang::ALL.iter().map(|l| Texts::new(*l)).collect() };
    catalogue.add(&DOMAIN);
    RwLock::new(catalogue)
});

struct Catalogue {
    parts: Vec<&'static str>,
    /// Indexed by [`Lang::index`].
    languages: Vec<Texts>,
}

struct Texts {
    bundle: FluentBundle<FluentResource>,
    /// Every message formatted without arguments, so that [`text`] can lend it out.
    plain: HashMap<Box<str>, &'static str>,
}

impl Texts {
    fn new(lang: Lang) -> Texts {
        let id = lang.code().parse().unwrap_or_default();
        let mut bundle = FluentBundle::new_concurrent(vec![id]);
        // Texts go into PDFs, e-mails and logs as well as HTML: no invisible bidi marks.
        bundle.set_use_isolating(false);
        Texts { bundle, plain: HashMap::new() }
    }
}

impl Part {
    pub const fn new(name: &'static str, files: &'static [(&'static str, &'static str)]) -> Part {
        Part { name, files }
    }

    pub fn name(&self) -> &'static str {
        self.name
    }

    /// What a translator must get right, as a part's test asserts it: every
    /// file parses, every language has a file, and every file has the same
    /// messages with the same placeholders as the default language's.
    pub fn check(&self) -> Result<(), Vec<String>> {
        let mut problems = Vec::new();
        let mut messages = BTreeMap::new();
        for (code, source) in self.files {
            let Some(lang) = Lang::ALL.iter().find(|l| l.code() == *code) else {
                problems.push(format!("{code}.ftl: no such language (the domain's locales/ has no {code}.ftl)"));
                continue;
            };
            match FluentResource::try_new((*source).to_owned()) {
                Ok(resource) => match placeholders(&resource) {
                    Ok(found) => {
                        messages.insert(*lang, found);
                    }
                    Err(dup) => problems.push(format!("{code}.ftl: {dup} is defined twice")),
                },
                Err((_, errors)) => {
                    problems.extend(errors.iter().map(|e| format!("{code}.ftl: {:?} at bytes {:?}", e.kind, e.pos)));
                }
            }
        }
        let reference = messages.get(&Lang::default()).cloned().unwrap_or_default();
        for lang in Lang::ALL {
            let Some(found) = messages.get(lang) else {
                if !problems.iter().any(|p| p.starts_with(&format!("{}.ftl", lang.code()))) {
                    problems.push(format!("{}.ftl is missing from the {} part", lang.code(), self.name));
                }
                continue;
            };
            for (id, holes) in &reference {
                match found.get(id) {
                    None => problems.push(format!("{}.ftl lacks {id}", lang.code())),
                    Some(h) if h != holes => {
                        problems.push(format!("{}.ftl: {id} has placeholders {h:?}, not {holes:?}", lang.code()));
                    }
                    Some(_) => {}
                }
            }
            for id in found.keys().filter(|id| !reference.contains_key(*id)) {
                problems.push(format!("{}.ftl has {id}, which {}.ftl lacks", lang.code(), Lang::default().code()));
            }
        }
        if problems.is_empty() { Ok(()) } else { Err(problems) }
    }
}

/// Adds a part to the catalogue (once; registering it again does nothing).
///
/// # Panics
/// When the part's files are broken or repeat another part's message: they are
/// compiled in, and [`Part::check`] in the part's tests reports the same earlier.
pub fn register(part: &'static Part) {
    if read(|c| c.parts.contains(&part.name)) {
        return;
    }
    let mut catalogue = CATALOGUE.write().unwrap_or_else(PoisonError::into_inner);
    if !catalogue.parts.contains(&part.name) {
        catalogue.add(part);
    }
}

impl Catalogue {
    fn add(&mut self, part: &'static Part) {
        if let Err(problems) = part.check() {
            panic!("the {} part of the message catalogue is broken:\n{}", part.name, problems.join("\n"));
        }
        for (code, source) in part.files {
            let Some(lang) = Lang::ALL.iter().find(|l| l.code() == *code) else { continue };
            let texts = &mut self.languages[lang.index()];
            let Ok(resource) = FluentResource::try_new((*source).to_owned()) else { continue };
            let ids: Vec<String> = message_ids(&resource).map(str::to_owned).collect();
            if let Err(errors) = texts.bundle.add_resource(resource) {
                panic!("the {} part repeats messages of another part: {errors:?}", part.name);
            }
            for id in ids {
                let Some(pattern) = texts.bundle.get_message(&id).and_then(|m| m.value()) else { continue };
                let mut errors = Vec::new();
                let plain = texts.bundle.format_pattern(pattern, None, &mut errors).into_owned();
                // Leaked once per message and language: parts register once per process.
                texts.plain.insert(id.into(), Box::leak(plain.into_boxed_str()));
            }
        }
        self.parts.push(part.name);
    }
}

fn read<R>(f: impl FnOnce(&Catalogue) -> R) -> R {
    f(&CATALOGUE.read().unwrap_or_else(PoisonError::into_inner))
}

/// The text of a key with no placeholders filled, in `lang` or else in the
/// default language; a missing key is returned as itself.
pub fn text(key: &str, lang: Lang) -> &str {
    with_id(key, |id| {
        read(|c| {
            [lang, Lang::default()].iter().find_map(|l| c.languages[l.index()].plain.get(id).copied()).unwrap_or(key)
        })
    })
}

/// Whether the catalogue has this key.
pub fn has(key: &str) -> bool {
    with_id(key, |id| read(|c| c.languages[Lang::default().index()].plain.contains_key(id)))
}

/// Interned strings: a key read back from a database becomes `&'static`
/// once, however many rows hold it.
fn intern(s: &str) -> Option<&'static str> {
    use std::collections::HashSet;
    use std::sync::{Mutex, OnceLock};
    static SEEN: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
    let mut seen = SEEN.get_or_init(Default::default).lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(known) = seen.get(s) {
        return Some(known);
    }
    // Keys are checked against the catalogue and names are short identifiers, so the set stays small.
    if seen.len() >= 100_000 {
        return None;
    }
    let leaked: &'static str = Box::leak(s.to_owned().into_boxed_str());
    seen.insert(leaked);
    Some(leaked)
}

/// The catalogue key `key` as a `&'static str`, if the catalogue has it.
pub(crate) fn static_key(key: &str) -> Option<&'static str> {
    if has(key) { intern(key) } else { None }
}

/// A placeholder's name as a `&'static str`, if it looks like one.
pub(crate) fn static_name(name: &str) -> Option<&'static str> {
    let ok = !name.is_empty() && name.len() <= 32 && name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
    if ok { intern(name) } else { None }
}

pub(crate) fn format(key: &str, args: &[(&'static str, &str)], lang: Lang) -> Option<String> {
    let mut fluent_args = FluentArgs::with_capacity(args.len());
    for (name, value) in args {
        fluent_args.set(*name, *value);
    }
    with_id(key, |id| {
        read(|c| {
            [lang, Lang::default()].iter().find_map(|l| {
                let bundle = &c.languages[l.index()].bundle;
                let pattern = bundle.get_message(id)?.value()?;
                let mut errors = Vec::new();
                Some(bundle.format_pattern(pattern, Some(&fluent_args), &mut errors).into_owned())
            })
        })
    })
}

/// Calls `f` with the Fluent id of a key (`common.too_long` → `common-too_long`),
/// on the stack for the keys the code uses.
fn with_id<R>(key: &str, f: impl FnOnce(&str) -> R) -> R {
    let mut buf = [0u8; 96];
    if let Some(slot) = buf.get_mut(..key.len()) {
        for (b, c) in slot.iter_mut().zip(key.bytes()) {
            *b = if c == b'.' { b'-' } else { c };
        }
        // Replacing an ASCII byte by another keeps the text UTF-8.
        if let Ok(id) = std::str::from_utf8(slot) {
            return f(id);
        }
    }
    f(&key.replace('.', "-"))
}

fn message_ids(resource: &FluentResource) -> impl Iterator<Item = &str> {
    resource.entries().filter_map(|entry| match entry {
        ast::Entry::Message(m) => Some(m.id.name),
        _ => None,
    })
}

/// Each message's placeholders (`$name` variables, wherever they appear), or
/// the id of a message defined twice.
fn placeholders(resource: &FluentResource) -> Result<BTreeMap<String, BTreeSet<String>>, String> {
    let mut out = BTreeMap::new();
    for entry in resource.entries() {
        let ast::Entry::Message(m) = entry else { continue };
        let mut holes = BTreeSet::new();
        if let Some(value) = &m.value {
            pattern_vars(value, &mut holes);
        }
        for attribute in &m.attributes {
            pattern_vars(&attribute.value, &mut holes);
        }
        if out.insert(m.id.name.to_owned(), holes).is_some() {
            return Err(m.id.name.to_owned());
        }
    }
    Ok(out)
}

fn pattern_vars(pattern: &ast::Pattern<&str>, out: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            expression_vars(expression, out);
        }
    }
}

fn expression_vars(expression: &ast::Expression<&str>, out: &mut BTreeSet<String>) {
    match expression {
        ast::Expression::Inline(inline) => inline_vars(inline, out),
        ast::Expression::Select { selector, variants } => {
            inline_vars(selector, out);
            for variant in variants {
                pattern_vars(&variant.value, out);
            }
        }
    }
}

fn inline_vars(inline: &ast::InlineExpression<&str>, out: &mut BTreeSet<String>) {
    match inline {
        ast::InlineExpression::VariableReference { id } => {
            out.insert(id.name.to_owned());
        }
        ast::InlineExpression::FunctionReference { arguments, .. } => call_vars(arguments, out),
        ast::InlineExpression::TermReference { arguments: Some(arguments), .. } => call_vars(arguments, out),
        ast::InlineExpression::Placeable { expression } => expression_vars(expression, out),
        _ => {}
    }
}

fn call_vars(arguments: &ast::CallArguments<&str>, out: &mut BTreeSet<String>) {
    for inline in &arguments.positional {
        inline_vars(inline, out);
    }
    for named in &arguments.named {
        inline_vars(&named.value, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_domain_message_is_in_every_language_with_the_same_placeholders() {
        assert_eq!(DOMAIN.check(), Ok(()));
    }

    #[test]
    fn a_translation_that_drifts_is_reported() {
        static BROKEN: Part = Part::new(
            "broken",
            &[("en", "a = A { $x }\nb = B\nonly-en = E\n"), ("uk", "a = А { $y }\nb = Б\nb = Б2\n")],
        );
        let problems = BROKEN.check().err().unwrap_or_default().join("\n");
        assert!(problems.contains("uk.ftl: b is defined twice"), "{problems}");
        static DRIFT: Part = Part::new("drift", &[("en", "a = A { $x }\nonly-en = E\n"), ("uk", "a = А { $y }\n")]);
        let problems = DRIFT.check().err().unwrap_or_default().join("\n");
        assert!(problems.contains("en.ftl: a has placeholders {\"x\"}, not {\"y\"}"), "{problems}");
        assert!(problems.contains("en.ftl has only-en, which uk.ftl lacks"), "{problems}");
        static MISSING: Part = Part::new("missing", &[("uk", "a = А\n"), ("xx", "a = ?\n")]);
        let problems = MISSING.check().err().unwrap_or_default().join("\n");
        assert!(problems.contains("en.ftl is missing from the missing part"), "{problems}");
        assert!(problems.contains("xx.ftl: no such language"), "{problems}");
        static UNPARSABLE: Part = Part::new("unparsable", &[("uk", "a = {\n"), ("en", "a = A\n")]);
        assert!(UNPARSABLE.check().is_err());
    }

    #[test]
    fn a_registered_part_is_looked_up_and_registering_twice_is_harmless() {
        static EXTRA: Part = Part::new(
            "test extra",
            &[
                ("en", "test-extra-hello = Hello, { $who }!\ntest-extra-plain = Plain\n"),
                ("ru", "test-extra-hello = Привет, { $who }!\ntest-extra-plain = Просто\n"),
                ("uk", "test-extra-hello = Привіт, { $who }!\ntest-extra-plain = Просто\n"),
                ("vi", "test-extra-hello = Xin chào, { $who }!\ntest-extra-plain = Đơn giản\n"),
            ],
        );
        assert_eq!(text("test.extra.plain", Lang::EN), "test.extra.plain");
        register(&EXTRA);
        register(&EXTRA);
        assert!(has("test.extra.plain"));
        assert_eq!(text("test.extra.plain", Lang::UK), "Просто");
        assert_eq!(crate::Message::new("test.extra.hello").with("who", "Ann").render(Lang::EN), "Hello, Ann!");
    }

    #[test]
    fn keys_longer_than_the_stack_buffer_are_looked_up_too() {
        let long = format!("{}.x", "a".repeat(200));
        assert_eq!(text(&long, Lang::EN), long);
        assert!(!has(&long));
    }
}

//! Modification analysis: what the revisions appended after a signature
//! changed, and whether the signature still covers what a reader is shown.
//!
//! A signature covers the bytes of its revision; an incremental update
//! appended later can redefine any object, so a valid CMS proves nothing
//! about the document a viewer displays. Following pyHanko's difference
//! analysis and EU DSS, the signed revision and the whole file are both
//! parsed, every object that differs between them is found, and each is
//! judged by *where the final document reaches it from*:
//!
//! * objects the pages draw (content streams, resources, fonts, images), the
//!   page tree and the catalogue's other entries — never allowed to change;
//! * signature fields and their values, the DSS and XMP metadata — the
//!   updates PAdES expects (new signatures, time-stamps, validation data);
//! * form fields — their values and appearances may be filled in, unless a
//!   signature locks them (FieldMDP) or DocMDP forbids it;
//! * annotations other than form widgets — allowed at DocMDP level 3.
//!
//! An object reached both from the pages and from a form or annotation
//! counts as page content: the strictest use decides. JavaScript and launch
//! actions added anywhere, signature values changed or removed, bytes after
//! the last `%%EOF` and a later revision that does not parse are never
//! allowed. The levels are ordered as DocMDP permits them: P = 1 allows
//! validation data only, P = 2 (and a document without DocMDP) also form
//! filling and signing, P = 3 also annotations.
use std::collections::{HashMap, HashSet, VecDeque};

use lopdf::{Dictionary, Document, Object, ObjectId};
use schemars::JsonSchema;

use super::pdf;

/// How far a change goes, in the order DocMDP permits them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ModificationLevel {
    /// Nothing that matters (document information, white space).
    None,
    /// Document time-stamps, validation data (DSS), XMP metadata.
    LtaUpdates,
    /// New signatures and form-field values.
    FormFilling,
    /// Annotations added, changed or removed.
    Annotations,
    /// Anything else: what is shown is not what was signed.
    Other,
}

/// One change found after a signature. The message catalogue words each
/// kind (`verify-change-<kind>`); `detail` names the field, key or page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    SignatureAdded,
    DocumentTimestampAdded,
    ValidationDataAdded,
    MetadataUpdated,
    FieldFilled,
    AnnotationAdded,
    AnnotationChanged,
    AnnotationRemoved,
    PageContentChanged,
    PageChanged,
    PageTreeChanged,
    ResourceChanged,
    CatalogChanged,
    ActionAdded,
    FieldAdded,
    FieldChanged,
    LockedFieldChanged,
    SignatureChanged,
    ObjectRemoved,
    BytesAfterEnd,
    Unreadable,
}

impl ChangeKind {
    pub fn level(self) -> ModificationLevel {
        use ChangeKind::*;
        match self {
            DocumentTimestampAdded | ValidationDataAdded | MetadataUpdated => ModificationLevel::LtaUpdates,
            SignatureAdded | FieldFilled => ModificationLevel::FormFilling,
            AnnotationAdded | AnnotationChanged | AnnotationRemoved => ModificationLevel::Annotations,
            PageContentChanged | PageChanged | PageTreeChanged | ResourceChanged | CatalogChanged | ActionAdded
            | FieldAdded | FieldChanged | LockedFieldChanged | SignatureChanged | ObjectRemoved | BytesAfterEnd
            | Unreadable => ModificationLevel::Other,
        }
    }

    /// The stable code the catalogue keys its wording on.
    pub fn as_str(self) -> &'static str {
        use ChangeKind::*;
        match self {
            SignatureAdded => "signature_added",
            DocumentTimestampAdded => "document_timestamp_added",
            ValidationDataAdded => "validation_data_added",
            MetadataUpdated => "metadata_updated",
            FieldFilled => "field_filled",
            AnnotationAdded => "annotation_added",
            AnnotationChanged => "annotation_changed",
            AnnotationRemoved => "annotation_removed",
            PageContentChanged => "page_content_changed",
            PageChanged => "page_changed",
            PageTreeChanged => "page_tree_changed",
            ResourceChanged => "resource_changed",
            CatalogChanged => "catalog_changed",
            ActionAdded => "action_added",
            FieldAdded => "field_added",
            FieldChanged => "field_changed",
            LockedFieldChanged => "locked_field_changed",
            SignatureChanged => "signature_changed",
            ObjectRemoved => "object_removed",
            BytesAfterEnd => "bytes_after_end",
            Unreadable => "unreadable",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, JsonSchema)]
pub struct Change {
    pub kind: ChangeKind,
    /// The field's name, the catalogue key, the page's number or the object's number.
    pub detail: String,
    /// Whether the signature's DocMDP and FieldMDP permit it.
    pub allowed: bool,
}

/// The changes after one signature, and whether all of them are permitted.
#[derive(Debug, Clone, Default, serde::Serialize, JsonSchema)]
pub struct Modifications {
    /// The DocMDP permission in force (1, 2, 3), when the document is certified.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub doc_mdp: Option<i64>,
    pub changes: Vec<Change>,
}

impl Modifications {
    pub fn allowed(&self) -> bool {
        self.changes.iter().all(|c| c.allowed)
    }

    pub fn level(&self) -> ModificationLevel {
        self.changes.iter().map(|c| c.kind.level()).max().unwrap_or(ModificationLevel::None)
    }
}

/// The highest level a DocMDP permission allows.
///
/// A document without DocMDP is held to P = 2, as pyHanko's default policy
/// does: comments and marks added later are reported and not permitted, so a
/// changed appearance cannot pass as a comment; P = 3 permits them.
fn permitted(doc_mdp: Option<i64>) -> ModificationLevel {
    match doc_mdp {
        Some(1) => ModificationLevel::LtaUpdates,
        Some(3) => ModificationLevel::Annotations,
        _ => ModificationLevel::FormFilling,
    }
}

/// Fields a signature locks (FieldMDP: the field's `/Lock` or the signature's reference).
#[derive(Debug, Clone, PartialEq, Eq)]
enum Lock {
    All,
    Include(Vec<String>),
    Exclude(Vec<String>),
}

impl Lock {
    fn covers(&self, name: &str) -> bool {
        match self {
            Lock::All => true,
            Lock::Include(names) => names.iter().any(|n| n == name),
            Lock::Exclude(names) => !names.iter().any(|n| n == name),
        }
    }
}

/// Nodes of the object graph walked before giving up on a hostile file.
const MAX_NODES: usize = 2_000_000;

/// Compares the revision a signature covers (`pdf[..revision_end]`) with the
/// whole file, for the signature in field `field_name`.
pub fn analyse(pdf: &[u8], revision_end: usize, field_name: &str) -> Modifications {
    match pdf::load(pdf) {
        Ok(current) => analyse_parsed(pdf, &current, revision_end, field_name),
        Err(_) => Found::unreadable(),
    }
}

/// [`analyse`] with the whole file already parsed (`current`): the validator
/// parses a PDF once for all it reads, and only the signed revision here.
pub(crate) fn analyse_parsed(pdf: &[u8], current: &Document, revision_end: usize, field_name: &str) -> Modifications {
    let mut found = Found::default();
    let tail = pdf.get(revision_end..).unwrap_or_default();
    let last_end = pdf::revisions(pdf).last().copied().unwrap_or(0).max(revision_end);
    if !pdf.get(last_end..).unwrap_or_default().iter().all(|b| b.is_ascii_whitespace() || *b == 0) {
        found.add(ChangeKind::BytesAfterEnd, format!("{} bytes", pdf.len() - last_end));
    }
    let signed = pdf.get(..revision_end).and_then(|bytes| pdf::load(bytes).ok());
    let Some(signed) = signed else {
        found.add(ChangeKind::Unreadable, String::new());
        return found.finish(None, None);
    };
    let doc_mdp = pdf::doc_mdp_permission_of(&signed);
    let lock = field_lock(&signed, field_name);
    if tail.iter().all(|b| b.is_ascii_whitespace() || *b == 0) {
        return found.finish(doc_mdp, lock);
    }
    compare(&signed, current, &mut found);
    found.finish(doc_mdp, lock)
}

#[derive(Default)]
struct Found {
    changes: Vec<(ChangeKind, String)>,
    /// Field names whose value or appearance changed (checked against the lock at the end).
    filled: Vec<String>,
}

impl Found {
    /// What is said of a file that cannot be read at all.
    fn unreadable() -> Modifications {
        let mut found = Found::default();
        found.add(ChangeKind::Unreadable, String::new());
        found.finish(None, None)
    }

    fn add(&mut self, kind: ChangeKind, detail: String) {
        if !self.changes.iter().any(|(k, d)| *k == kind && *d == detail) {
            self.changes.push((kind, detail));
        }
    }

    fn finish(mut self, doc_mdp: Option<i64>, lock: Option<Lock>) -> Modifications {
        for name in std::mem::take(&mut self.filled) {
            let locked = lock.as_ref().is_some_and(|l| l.covers(&name));
            self.add(if locked { ChangeKind::LockedFieldChanged } else { ChangeKind::FieldFilled }, name);
        }
        let limit = permitted(doc_mdp);
        let changes = self
            .changes
            .into_iter()
            .map(|(kind, detail)| Change { kind, detail, allowed: kind.level() <= limit })
            .collect();
        Modifications { doc_mdp, changes }
    }
}

/// Where an object is reached from in a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Role {
    /// The pages and what they draw, the page tree, the catalogue.
    Document,
    /// AcroForm, fields and their widgets.
    Form,
    /// Annotations that are not widgets.
    Annotation,
    /// Signature dictionaries (field values).
    Signature,
    /// The DSS and what it holds.
    ValidationData,
    Metadata,
}

/// The roles of every object reachable from the catalogue, and for objects
/// inside a field or an annotation, the field or annotation they belong to.
#[derive(Default)]
struct Reach {
    roles: HashMap<ObjectId, Vec<Role>>,
    owner: HashMap<ObjectId, ObjectId>,
    /// Page objects: their number (1-based) and their annotations.
    pages: HashMap<ObjectId, (usize, Vec<ObjectId>)>,
    content_streams: HashSet<ObjectId>,
    /// Field dictionaries: their full name and whether they are signature fields.
    fields: HashMap<ObjectId, (String, bool)>,
    acro_form: Option<ObjectId>,
    /// False when the walk gave up (a hostile or broken file).
    complete: bool,
}

type Edge = (ObjectId, Role, Option<ObjectId>);

impl Reach {
    fn of(doc: &Document) -> Reach {
        let mut reach = Reach { complete: true, ..Reach::default() };
        let Some(root) = root_of(doc) else {
            reach.complete = false;
            return reach;
        };
        reach.acro_form =
            doc.get_dictionary(root).ok().and_then(|c| c.get(b"AcroForm").ok()).and_then(|o| o.as_reference().ok());
        for (n, id) in pdf::page_list(doc, root, MAX_NODES).into_iter().enumerate() {
            let annots = doc
                .get_dictionary(id)
                .ok()
                .and_then(|page| pdf::deref_array(doc, page.get(b"Annots").ok()))
                .map(|items| items.iter().filter_map(|o| o.as_reference().ok()).collect())
                .unwrap_or_default();
            reach.pages.insert(id, (n + 1, annots));
        }
        let mut budget = MAX_NODES;
        let mut queue: VecDeque<Edge> = VecDeque::from([(root, Role::Document, None)]);
        reach.mark(root, Role::Document, None);
        while let Some((id, role, owner)) = queue.pop_front() {
            let Some(object) = doc.objects.get(&id) else { continue };
            for (target, role, owner) in reach.children(doc, id, object, role, owner, &mut budget) {
                if reach.mark(target, role, owner) {
                    queue.push_back((target, role, owner));
                }
            }
            if budget == 0 {
                reach.complete = false;
                break;
            }
        }
        reach
    }

    /// Records `role` for `id`; true when it is new for the object.
    fn mark(&mut self, id: ObjectId, role: Role, owner: Option<ObjectId>) -> bool {
        let roles = self.roles.entry(id).or_default();
        if roles.contains(&role) {
            return false;
        }
        roles.push(role);
        if let Some(owner) = owner {
            self.owner.entry(id).or_insert(owner);
        }
        true
    }

    /// What object `id` refers to, each with the role it gives it.
    fn children(
        &mut self,
        doc: &Document,
        id: ObjectId,
        object: &Object,
        role: Role,
        owner: Option<ObjectId>,
        budget: &mut usize,
    ) -> Vec<Edge> {
        let dict = match object {
            Object::Dictionary(d) => d,
            Object::Stream(s) => &s.dict,
            other => return references(other, budget).into_iter().map(|t| (t, role, owner)).collect(),
        };
        let is_catalog = root_of(doc) == Some(id);
        let is_page = role == Role::Document && self.pages.contains_key(&id);
        let is_field = role == Role::Form && (dict.has(b"FT") || dict.has(b"T") || is_widget(dict));
        if is_field {
            let is_sig = field_type(doc, dict).as_deref() == Some(b"Sig".as_slice());
            self.fields.entry(id).or_insert_with(|| (field_name(doc, dict), is_sig));
        }
        let mut out = Vec::new();
        for (key, value) in dict.iter() {
            if is_back_pointer(key) {
                continue;
            }
            if is_page && key.as_slice() == b"Annots" {
                for &annot in self.pages.get(&id).map(|(_, a)| a.as_slice()).unwrap_or_default() {
                    if doc.get_dictionary(annot).is_ok_and(is_widget) {
                        out.push((annot, Role::Form, None));
                    } else {
                        out.push((annot, Role::Annotation, Some(annot)));
                    }
                }
                continue;
            }
            let targets = references(value, budget);
            if is_page && key.as_slice() == b"Contents" {
                self.content_streams.extend(targets.iter().copied());
            }
            let (child_role, child_owner) = match role {
                Role::Document if is_catalog => match key.as_slice() {
                    b"AcroForm" => (Role::Form, None),
                    b"DSS" => (Role::ValidationData, None),
                    b"Metadata" => (Role::Metadata, None),
                    b"Perms" => (Role::Signature, None),
                    _ => (Role::Document, None),
                },
                Role::Form => match key.as_slice() {
                    b"Kids" | b"Fields" => (Role::Form, None),
                    b"V" if is_field => (Role::Signature, Some(owner.unwrap_or(id))),
                    _ if is_field => (Role::Form, Some(owner.unwrap_or(id))),
                    _ => (Role::Form, owner),
                },
                other => (other, owner),
            };
            out.extend(targets.into_iter().map(|t| (t, child_role, child_owner)));
        }
        out
    }
}

fn root_of(doc: &Document) -> Option<ObjectId> {
    doc.trailer.get(b"Root").and_then(Object::as_reference).ok()
}

/// Keys that point back up the tree (or, for a signature reference's
/// `/Data`, at the catalogue): not followed, at any depth.
fn is_back_pointer(key: &[u8]) -> bool {
    matches!(key, b"Parent" | b"P" | b"Prev" | b"Last" | b"IRT" | b"Data")
}

/// The indirect references in an object, not following them.
fn references(object: &Object, budget: &mut usize) -> Vec<ObjectId> {
    let mut out = Vec::new();
    let mut stack = vec![object];
    while let Some(o) = stack.pop() {
        if *budget == 0 {
            break;
        }
        *budget -= 1;
        match o {
            Object::Reference(id) => out.push(*id),
            Object::Array(items) => stack.extend(items.iter()),
            Object::Dictionary(_) | Object::Stream(_) => {
                let d = dict_of(o).into_iter().flat_map(|d| d.iter());
                stack.extend(d.filter(|(k, _)| !is_back_pointer(k)).map(|(_, v)| v));
            }
            _ => {}
        }
    }
    out
}

fn is_widget(dict: &Dictionary) -> bool {
    dict.get(b"Subtype").and_then(Object::as_name).is_ok_and(|n| n == b"Widget")
}

fn name_in(doc: &Document, dict: &Dictionary, key: &[u8]) -> Option<Vec<u8>> {
    match doc.dereference(dict.get(key).ok()?).ok()?.1 {
        Object::Name(n) => Some(n.clone()),
        _ => None,
    }
}

/// `/FT`, inherited from the field's ancestors.
fn field_type(doc: &Document, dict: &Dictionary) -> Option<Vec<u8>> {
    let mut node = dict;
    for _ in 0..32 {
        if let Some(ft) = name_in(doc, node, b"FT") {
            return Some(ft);
        }
        node = pdf::deref_dict(doc, node.get(b"Parent").ok())?;
    }
    None
}

/// The field's full name (partial names of it and its ancestors joined by periods).
fn field_name(doc: &Document, dict: &Dictionary) -> String {
    let mut parts = Vec::new();
    let mut node = Some(dict);
    for _ in 0..32 {
        let Some(n) = node else { break };
        if let Ok((_, Object::String(s, _))) = n.get(b"T").and_then(|o| doc.dereference(o)) {
            parts.push(pdf::decode_text(s));
        }
        node = pdf::deref_dict(doc, n.get(b"Parent").ok());
    }
    parts.reverse();
    parts.join(".")
}

/// Equal as PDF objects: string notation and stream positions do not count.
fn same(a: &Object, b: &Object) -> bool {
    match (a, b) {
        (Object::String(x, _), Object::String(y, _)) => x == y,
        (Object::Array(x), Object::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q)),
        (Object::Dictionary(x), Object::Dictionary(y)) => same_dict(x, y),
        (Object::Stream(x), Object::Stream(y)) => x.content == y.content && same_dict(&x.dict, &y.dict),
        (Object::Real(x), Object::Real(y)) => x.to_bits() == y.to_bits(),
        _ => a == b,
    }
}

fn same_dict(x: &Dictionary, y: &Dictionary) -> bool {
    x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_ok_and(|w| same(v, w)))
}

fn dict_of(object: &Object) -> Option<&Dictionary> {
    match object {
        Object::Dictionary(d) => Some(d),
        Object::Stream(s) => Some(&s.dict),
        _ => None,
    }
}

/// Keys whose values differ between two dictionaries (either side missing counts).
fn changed_keys(a: &Dictionary, b: &Dictionary) -> Vec<Vec<u8>> {
    let mut keys: Vec<Vec<u8>> = Vec::new();
    for (k, v) in b.iter() {
        if !a.get(k).is_ok_and(|w| same(v, w)) {
            keys.push(k.clone());
        }
    }
    for (k, _) in a.iter() {
        if !b.has(k) {
            keys.push(k.clone());
        }
    }
    keys
}

/// The actions an object carries directly: JavaScript, launch, additional actions.
fn actions(object: &Object) -> Vec<&Object> {
    let mut out = Vec::new();
    let mut stack = vec![object];
    while let Some(o) = stack.pop() {
        match o {
            Object::Array(items) => stack.extend(items.iter()),
            Object::Dictionary(_) | Object::Stream(_) => {
                let Some(d) = dict_of(o) else { continue };
                let kind = d.get(b"S").and_then(Object::as_name).ok();
                if d.has(b"JS") || matches!(kind, Some(b"JavaScript" | b"Launch" | b"ImportData" | b"Rendition")) {
                    out.push(o);
                    continue;
                }
                for (k, v) in d.iter() {
                    if matches!(k.as_slice(), b"AA" | b"OpenAction") {
                        out.push(v);
                    } else {
                        stack.push(v);
                    }
                }
            }
            _ => {}
        }
    }
    out
}

fn is_internal(object: &Object) -> bool {
    dict_of(object)
        .and_then(|d| d.get(b"Type").and_then(Object::as_name).ok())
        .is_some_and(|t| t == b"XRef" || t == b"ObjStm")
}

fn number((n, g): ObjectId) -> String {
    format!("{n} {g} R")
}

/// The fields a signature locks: its field's `/Lock`, or a FieldMDP
/// reference in its signature dictionary.
fn field_lock(doc: &Document, field_name_wanted: &str) -> Option<Lock> {
    let reach = Reach::of(doc);
    let (&id, _) = reach.fields.iter().find(|(_, (name, is_sig))| *is_sig && name == field_name_wanted)?;
    let field = doc.get_dictionary(id).ok()?;
    let from_lock = pdf::deref_dict(doc, field.get(b"Lock").ok());
    let from_reference = || {
        let sig = pdf::deref_dict(doc, field.get(b"V").ok())?;
        pdf::deref_array(doc, sig.get(b"Reference").ok())?.iter().find_map(|r| {
            let r = pdf::deref_dict(doc, Some(r))?;
            (name_in(doc, r, b"TransformMethod")?.as_slice() == b"FieldMDP")
                .then(|| pdf::deref_dict(doc, r.get(b"TransformParams").ok()))
                .flatten()
        })
    };
    let spec = from_lock.or_else(from_reference)?;
    let names = || -> Vec<String> {
        pdf::deref_array(doc, spec.get(b"Fields").ok())
            .unwrap_or_default()
            .iter()
            .filter_map(|o| match doc.dereference(o).ok()?.1 {
                Object::String(s, _) => Some(pdf::decode_text(s)),
                _ => None,
            })
            .collect()
    };
    match name_in(doc, spec, b"Action")?.as_slice() {
        b"All" => Some(Lock::All),
        b"Include" => Some(Lock::Include(names())),
        b"Exclude" => Some(Lock::Exclude(names())),
        _ => None,
    }
}

/// Every difference between the signed revision and the current document, judged by its role.
fn compare(signed: &Document, current: &Document, found: &mut Found) {
    let before = Reach::of(signed);
    let after = Reach::of(current);
    if !after.complete || !before.complete {
        found.add(ChangeKind::Unreadable, String::new());
    }
    for key in [b"Root".as_slice(), b"Encrypt"] {
        let (a, b) = (signed.trailer.get(key).ok(), current.trailer.get(key).ok());
        if !matches!((a, b), (None, None)) && !a.zip(b).is_some_and(|(a, b)| same(a, b)) {
            found.add(ChangeKind::CatalogChanged, format!("/{}", String::from_utf8_lossy(key)));
        }
    }
    let field_label = |reach: &Reach, id: ObjectId| reach.fields.get(&id).map(|(n, _)| n.clone());
    for (&id, object) in &current.objects {
        let old = signed.objects.get(&id);
        if old.is_some_and(|o| same(o, object)) || is_internal(object) {
            continue;
        }
        let Some(roles) = after.roles.get(&id) else { continue }; // not reachable: not shown
        let old_actions = old.map(actions).unwrap_or_default();
        let new_actions = actions(object);
        if new_actions.len() != old_actions.len() || new_actions.iter().zip(&old_actions).any(|(a, b)| !same(a, b)) {
            found.add(ChangeKind::ActionAdded, number(id));
        }
        let new_dict = dict_of(object);
        let old_dict = old.and_then(dict_of);
        if roles.contains(&Role::Document) {
            if root_of(current) == Some(id) {
                catalog_changes(old_dict, new_dict, found);
            } else if let Some((n, _)) = after.pages.get(&id) {
                for key in new_dict.zip(old_dict).map(|(b, a)| changed_keys(a, b)).unwrap_or_default() {
                    match key.as_slice() {
                        b"Annots" => {}
                        b"Contents" => found.add(ChangeKind::PageContentChanged, format!("{n}")),
                        k => found.add(ChangeKind::PageChanged, format!("{n} /{}", String::from_utf8_lossy(k))),
                    }
                }
                if old_dict.is_none() {
                    found.add(ChangeKind::PageTreeChanged, format!("{n}"));
                }
            } else if new_dict.and_then(|d| d.get(b"Type").and_then(Object::as_name).ok()) == Some(b"Pages") {
                found.add(ChangeKind::PageTreeChanged, number(id));
            } else if after.content_streams.contains(&id) {
                found.add(ChangeKind::PageContentChanged, number(id));
            } else {
                found.add(ChangeKind::ResourceChanged, number(id));
            }
            continue;
        }
        let owner = after.owner.get(&id).copied();
        if roles.contains(&Role::Signature) {
            // A new signature dictionary is reported with its new field.
            if old.is_some() {
                let name = owner.and_then(|o| field_label(&after, o)).unwrap_or_else(|| number(id));
                found.add(ChangeKind::SignatureChanged, name);
            }
            continue;
        }
        if roles.contains(&Role::Form) {
            form_change(signed, current, &after, id, found);
            continue;
        }
        if roles.contains(&Role::Annotation) {
            let owner = owner.unwrap_or(id);
            let page = after.pages.values().find(|(_, a)| a.contains(&owner)).map(|(n, _)| *n).unwrap_or(0);
            let kind = if signed.objects.contains_key(&owner) {
                ChangeKind::AnnotationChanged
            } else {
                ChangeKind::AnnotationAdded
            };
            found.add(kind, format!("{page}"));
            continue;
        }
        if roles.contains(&Role::ValidationData) {
            found.add(ChangeKind::ValidationDataAdded, String::new());
        } else if roles.contains(&Role::Metadata) {
            found.add(ChangeKind::MetadataUpdated, String::new());
        }
    }
    // What the signed revision showed and the current one no longer does.
    for (&id, roles) in &before.roles {
        if roles.contains(&Role::Document) && !current.objects.contains_key(&id) {
            found.add(ChangeKind::ObjectRemoved, number(id));
        }
    }
    for (&id, (name, is_sig)) in &before.fields {
        let signed_value = signed.get_dictionary(id).is_ok_and(|d| d.has(b"V"));
        if *is_sig && signed_value && !after.fields.contains_key(&id) {
            found.add(ChangeKind::SignatureChanged, name.clone());
        }
    }
    for (page, (n, annots)) in &before.pages {
        let Some((_, now)) = after.pages.get(page) else {
            found.add(ChangeKind::PageTreeChanged, format!("{n}"));
            continue;
        };
        for annot in annots.iter().filter(|a| !now.contains(a)) {
            match before.fields.get(annot) {
                Some((name, true)) => found.add(ChangeKind::SignatureChanged, name.clone()),
                Some((name, false)) => found.add(ChangeKind::FieldChanged, name.clone()),
                None => found.add(ChangeKind::AnnotationRemoved, format!("{n}")),
            }
        }
    }
    let before_pages: HashSet<&ObjectId> = before.pages.keys().collect();
    for (page, (n, _)) in &after.pages {
        if !before_pages.contains(page) {
            found.add(ChangeKind::PageTreeChanged, format!("{n}"));
        }
    }
}

/// The catalogue may gain or change only the containers of forms, signatures,
/// validation data and metadata; anything else changes the document.
fn catalog_changes(old: Option<&Dictionary>, new: Option<&Dictionary>, found: &mut Found) {
    let (Some(old), Some(new)) = (old, new) else {
        found.add(ChangeKind::CatalogChanged, String::new());
        return;
    };
    for key in changed_keys(old, new) {
        match key.as_slice() {
            b"AcroForm" | b"DSS" | b"Metadata" | b"Extensions" | b"Version" => {}
            b"OpenAction" | b"AA" | b"Names" => {
                found.add(ChangeKind::ActionAdded, format!("/{}", String::from_utf8_lossy(&key)))
            }
            b"Pages" => found.add(ChangeKind::PageTreeChanged, "/Pages".into()),
            k => found.add(ChangeKind::CatalogChanged, format!("/{}", String::from_utf8_lossy(k))),
        }
    }
}

/// A changed object of the form: a field (new, filled or altered), what a
/// field's appearance is drawn with, or the AcroForm dictionary itself.
fn form_change(signed: &Document, current: &Document, after: &Reach, id: ObjectId, found: &mut Found) {
    let new_dict = current.objects.get(&id).and_then(dict_of);
    let old_dict = signed.objects.get(&id).and_then(dict_of);
    if after.acro_form == Some(id) || (after.acro_form.is_none() && new_dict.is_some_and(|d| d.has(b"Fields"))) {
        let keys = new_dict.zip(old_dict).map(|(b, a)| changed_keys(a, b)).unwrap_or_default();
        if keys.iter().any(|k| k.as_slice() == b"XFA") {
            found.add(ChangeKind::FieldChanged, "/XFA".into());
        }
        return;
    }
    let Some((name, is_sig)) = after.fields.get(&id) else {
        // Something a field's appearance uses: the field's filling.
        let Some(owner) = after.owner.get(&id) else { return };
        if !signed.objects.contains_key(owner) {
            return; // part of a new field
        }
        match after.fields.get(owner) {
            Some((name, true)) if signed.get_dictionary(*owner).is_ok_and(|d| d.has(b"V")) => {
                found.add(ChangeKind::SignatureChanged, name.clone())
            }
            Some((name, false)) => found.filled.push(name.clone()),
            _ => {}
        }
        return;
    };
    let Some(old) = old_dict else {
        if !is_sig {
            found.add(ChangeKind::FieldAdded, name.clone());
            return;
        }
        let value = new_dict.and_then(|d| pdf::deref_dict(current, d.get(b"V").ok()));
        let is_timestamp = value.is_some_and(|v| {
            name_in(current, v, b"Type").as_deref() == Some(b"DocTimeStamp".as_slice())
                || name_in(current, v, b"SubFilter").as_deref() == Some(b"ETSI.RFC3161".as_slice())
        });
        let kind = if is_timestamp { ChangeKind::DocumentTimestampAdded } else { ChangeKind::SignatureAdded };
        found.add(kind, name.clone());
        return;
    };
    let was_signed = *is_sig && old.has(b"V");
    let keys = new_dict.map(|b| changed_keys(old, b)).unwrap_or_default();
    for key in keys {
        match key.as_slice() {
            b"V" | b"AP" | b"AS" if was_signed => found.add(ChangeKind::SignatureChanged, name.clone()),
            b"V" if *is_sig => found.add(ChangeKind::SignatureAdded, name.clone()),
            b"V" | b"AP" | b"AS" | b"DV" if !*is_sig => found.filled.push(name.clone()),
            b"AP" | b"AS" => {}
            b"Kids" => {}
            b"Rect" | b"F" | b"MK" | b"DA" | b"Q" | b"BS" | b"Border" | b"C" | b"M" => {
                found.add(ChangeKind::AnnotationChanged, name.clone())
            }
            k => found.add(ChangeKind::FieldChanged, format!("{name} /{}", String::from_utf8_lossy(k))),
        }
    }
}

//! The messages' words: one file per event and language,
//! `<lang>/<topic>.txt` (`Subject:` line, empty line, body with
//! `{placeholders}`). The files in `crates/app/templates/notify/` are built
//! in; a fund points `notify.templates` at a folder of its own and those
//! files replace the built-in ones at start — no rebuild. A file that does not
//! parse, or names an unknown language, event or placeholder, stops the
//! start with the file's name, rather than send broken messages.
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use dossier_domain::Lang;
use dossier_domain::notify::{Rendered, Template, Topic};

macro_rules! built_in {
    ($($lang:literal: [$($topic:ident),* $(,)?]);* $(;)?) => {
        &[$($(($lang, stringify!($topic), include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/templates/notify/", $lang, "/", stringify!($topic), ".txt")))),*),*]
    };
}

const BUILT_IN: &[(&str, &str, &str)] = built_in! {
    "uk": [accepted, sent_to_production, produced, on_its_way, ready, issued, card_at_bank, card_personalized,
           activated, blocked, refused, withdrawn, deadline_missed, validity_ending, shared_copy_received,
           confirm_subscription, subscribed, appointment_booked, appointment_reminder, appointment_cancelled, question_answered,
           e_application_decided];
    "en": [accepted, sent_to_production, produced, on_its_way, ready, issued, card_at_bank, card_personalized,
           activated, blocked, refused, withdrawn, deadline_missed, validity_ending, shared_copy_received,
           confirm_subscription, subscribed, appointment_booked, appointment_reminder, appointment_cancelled, question_answered,
           e_application_decided];
    "ru": [accepted, sent_to_production, produced, on_its_way, ready, issued, card_at_bank, card_personalized,
           activated, blocked, refused, withdrawn, deadline_missed, validity_ending, shared_copy_received,
           confirm_subscription, subscribed, appointment_booked, appointment_reminder, appointment_cancelled, question_answered,
           e_application_decided];
    "vi": [accepted, sent_to_production, produced, on_its_way, ready, issued, card_at_bank, card_personalized,
           activated, blocked, refused, withdrawn, deadline_missed, validity_ending, shared_copy_received,
           confirm_subscription, subscribed, appointment_booked, appointment_reminder, appointment_cancelled, question_answered,
           e_application_decided];
};

/// Every template, by language and event.
#[derive(Debug, Clone)]
pub struct Templates {
    map: HashMap<(Lang, Topic), Template>,
    /// Where each came from (`built-in` or a file), for the preview page.
    sources: HashMap<(Lang, Topic), String>,
}

impl Templates {
    /// The built-in templates, replaced by the files in `dir` where it has them.
    pub fn load(dir: Option<&Path>) -> Result<Templates, String> {
        let mut t = Templates { map: HashMap::new(), sources: HashMap::new() };
        for (lang, topic, text) in BUILT_IN {
            let (Some(lang), Some(topic)) = (Lang::from_tag(lang), Topic::parse(topic)) else {
                return Err(format!("built-in template {lang}/{topic}: unknown language or event"));
            };
            let parsed = Template::parse(text).map_err(|e| format!("built-in template {lang:?}/{topic}: {e}"))?;
            t.map.insert((lang, topic), parsed);
            t.sources.insert((lang, topic), "built-in".into());
        }
        let Some(dir) = dir else { return Ok(t) };
        let langs = std::fs::read_dir(dir).map_err(|e| format!("templates {}: {e}", dir.display()))?;
        for entry in langs {
            let entry = entry.map_err(|e| e.to_string())?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue;
            }
            let lang = Lang::from_tag(&name)
                .filter(|l| l.code() == name)
                .ok_or_else(|| format!("templates {}: {name} is not a language of the catalogue", dir.display()))?;
            for file in std::fs::read_dir(entry.path()).map_err(|e| e.to_string())? {
                let path = file.map_err(|e| e.to_string())?.path();
                let file_name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                if file_name.starts_with('.') {
                    continue;
                }
                let topic = file_name
                    .strip_suffix(".txt")
                    .and_then(Topic::parse)
                    .ok_or_else(|| format!("{}: not an event's template (<event>.txt)", path.display()))?;
                let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
                let parsed = Template::parse(&text).map_err(|e| format!("{}: {e}", path.display()))?;
                t.map.insert((lang, topic), parsed);
                t.sources.insert((lang, topic), path.display().to_string());
            }
        }
        Ok(t)
    }

    /// The message for `topic` in `lang` (Ukrainian when that language has none).
    pub fn render(&self, lang: Lang, topic: Topic, values: &BTreeMap<&str, String>) -> Rendered {
        match self.map.get(&(lang, topic)).or_else(|| self.map.get(&(Lang::UK, topic))) {
            Some(t) => t.render(values),
            None => Rendered { subject: topic.as_str().to_owned(), body: String::new() },
        }
    }

    /// Where the template of `topic` in `lang` comes from.
    pub fn source(&self, lang: Lang, topic: Topic) -> &str {
        self.sources.get(&(lang, topic)).map_or("built-in", String::as_str)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_has_a_built_in_template_in_every_language() {
        let t = Templates::load(None).unwrap();
        for lang in Lang::ALL {
            for topic in Topic::ALL {
                assert!(t.map.contains_key(&(*lang, topic)), "{}/{topic}", lang.code());
            }
        }
    }

    #[test]
    fn a_fund_replaces_a_template_with_a_file_and_a_broken_file_stops_the_start() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("en")).unwrap();
        std::fs::write(dir.path().join("en/ready.txt"), "Subject: Come for {case}\n\nAt {address}.\n").unwrap();
        let t = Templates::load(Some(dir.path())).unwrap();
        let mut v = BTreeMap::new();
        v.insert("case", "З-2026-0000001".to_owned());
        assert_eq!(t.render(Lang::EN, Topic::Ready, &v).subject, "Come for З-2026-0000001");
        assert!(t.source(Lang::EN, Topic::Ready).ends_with("ready.txt"));
        std::fs::write(dir.path().join("en/issued.txt"), "Subject: x\n\n{ofice}\n").unwrap();
        let e = Templates::load(Some(dir.path())).unwrap_err();
        assert!(e.contains("issued.txt") && e.contains("ofice"), "{e}");
        std::fs::remove_file(dir.path().join("en/issued.txt")).unwrap();
        std::fs::write(dir.path().join("en/party.txt"), "Subject: x\n\ny\n").unwrap();
        assert!(Templates::load(Some(dir.path())).unwrap_err().contains("party.txt"));
    }
}

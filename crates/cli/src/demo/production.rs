//! Demo certificate production, driven through the same store operations the
//! API uses (so the demo is a walk through the regulation, not a picture of
//! it). The chain ran last week, at the instants a real week would have them,
//! so the deadlines it set have run and the queues show what is late:
//! last week's batches (Drohobych's batch of the week before submitted late,
//! its last week's not submitted — those applications are late at the
//! district), the central run with its duplicate check, production of most
//! certificates, acts central → regions (Kyiv accepted five days ago, Lviv
//! on its way) and Kyiv → Shevchenkivskyi district (accepted, journal filled,
//! half issued; Pecherskyi's certificates have waited at the region past their
//! two days), a destruction act awaiting its last signature.
use anyhow::{Context, Result};
use chrono::{DateTime, Duration, Utc};
use dossier_domain::lifecycle::Stage;
use dossier_domain::production::{BatchLevel, BatchWeek, DestructionReason, Duty, IssueInput, Recipient};
use dossier_store::*;

/// Appoints `login` to `duty` at `unit` by `order`, from a month ago.
async fn appoint(store: &dyn Store, login: &str, unit: &Unit, duty: Duty, order: &str) -> Result<()> {
    let account = store.account_by_login(login).await?.with_context(|| format!("demo account {login}"))?;
    store
        .appoint(
            &Actor::system("demo"),
            &NewAppointment {
                account_id: account.id,
                unit_id: unit.id,
                duty,
                order_no: order.into(),
                valid_from: Utc::now().date_naive() - Duration::days(30),
                valid_until: None,
            },
        )
        .await?;
    Ok(())
}

async fn actor(store: &dyn Store, login: &str) -> Result<Actor> {
    Ok(store.account_by_login(login).await?.with_context(|| format!("demo account {login}"))?.actor())
}

async fn in_stage(store: &dyn Store, scope: &Unit, stage: Stage) -> Result<Vec<CertificateRecord>> {
    Ok(store.list_certificates(&scope.path, Some(stage.as_str()), Page::new(0, 200)).await?)
}

pub struct Offices<'a> {
    pub central: &'a Unit,
    pub kyiv: &'a Unit,
    pub lviv: &'a Unit,
    /// 26101, 26102, 13101, 13102.
    pub districts: &'a [Unit],
}

/// When the demo's paper applications of last week were filed: eight days ago,
/// so last week's cut-offs and the two days a region has have passed — but
/// never before the week whose cut-off passed last. In the day after a Monday
/// cut-off, eight days ago is in the week before that one, which left the week
/// just closed owed and empty on the dashboard; then it is just after that
/// week opened (still nearly seven days ago).
pub fn filed_last_week(now: DateTime<Utc>) -> DateTime<Utc> {
    let closed = BatchLevel::District.open_week(now).prev();
    let opened = closed.prev().district_cutoff() + Duration::minutes(1);
    (now - Duration::days(8)).max(opened)
}

/// Runs the chain from `filed` (see [`filed_last_week`]): batches minutes
/// after the filing, production a day later, acts over the next days.
pub async fn seed(store: &dyn Store, o: &Offices<'_>, filed: DateTime<Utc>) -> Result<()> {
    let sys = Actor::system("demo-production");
    appoint(store, "transfer.central", o.central, Duty::ResponsiblePerson, "наказ ПФУ № 112 від 02.10.2026").await?;
    appoint(store, "transfer", o.kyiv, Duty::ResponsiblePerson, "наказ ГУ № 45 від 05.10.2026").await?;
    appoint(store, "transfer.district", &o.districts[0], Duty::ResponsiblePerson, "наказ № 17 від 06.10.2026").await?;
    let commission_order = "наказ № 21 від 12.10.2026";
    appoint(store, "district", &o.districts[0], Duty::Head, "наказ № 1 від 01.09.2026").await?;
    appoint(store, "district", &o.districts[0], Duty::CommissionChair, commission_order).await?;
    appoint(store, "commission", &o.districts[0], Duty::CommissionMember, commission_order).await?;
    appoint(store, "commission2", &o.districts[0], Duty::CommissionMember, commission_order).await?;

    let at = |minutes: i64| filed + Duration::minutes(minutes);
    let week = BatchWeek::of_acceptance(filed);
    // Drohobych missed the cut-off of the week before: that batch is flagged
    // late; last week's is not in at all.
    let week_before = BatchWeek::containing(week.monday() - Duration::days(7));
    store.submit_batch(&sys, Some(week_before), BatchLevel::District, o.districts[3].id, at(5)).await?;
    for d in &o.districts[..3] {
        store.submit_batch(&sys, Some(week), BatchLevel::District, d.id, at(10)).await?;
    }
    for r in [o.kyiv, o.lviv] {
        store.submit_batch(&sys, Some(week), BatchLevel::Region, r.id, at(20)).await?;
    }
    store.submit_batch(&sys, Some(week), BatchLevel::Central, o.central.id, at(30)).await?;
    let day = |days: i64| filed + Duration::days(days);

    // The central fund produces all but a few (they stay within the two weeks).
    let production = actor(store, "production").await?;
    let in_production = in_stage(store, o.central, Stage::InProduction).await?;
    let keep = in_production.len() / 5;
    let ids: Vec<_> = in_production.iter().skip(keep).map(|c| c.id).collect();
    store.produce(&production, &ids, day(1)).await?;

    // Central → regions: Kyiv's act accepted, Lviv's on its way.
    let central_resp = actor(store, "transfer.central").await?;
    for region in [o.kyiv, o.lviv] {
        let ids: Vec<_> = in_stage(store, region, Stage::Produced).await?.iter().map(|c| c.id).collect();
        if ids.is_empty() {
            continue;
        }
        let act = store.create_transfer_act(&central_resp, o.central.id, region.id, &ids, day(2)).await?;
        if region.id == o.kyiv.id {
            store
                .accept_transfer_act(&actor(store, "transfer").await?, act.id, &ActAcceptance::default(), day(3))
                .await?;
        }
    }
    // Kyiv → Shevchenkivskyi: accepted, the journal filled; Pecherskyi's wait at the region, past their 2 days.
    let ids: Vec<_> = in_stage(store, &o.districts[0], Stage::AtRegion).await?.iter().map(|c| c.id).collect();
    if !ids.is_empty() {
        let act = store
            .create_transfer_act(&actor(store, "transfer").await?, o.kyiv.id, o.districts[0].id, &ids, day(4))
            .await?;
        store
            .accept_transfer_act(&actor(store, "transfer.district").await?, act.id, &ActAcceptance::default(), day(4))
            .await?;
    }
    // Half are handed over at the counter.
    let specialist = actor(store, "specialist").await?;
    let at_district = in_stage(store, &o.districts[0], Stage::AtDistrict).await?;
    let mut rest = vec![];
    for (i, c) in at_district.iter().enumerate() {
        if i % 2 == 1 {
            rest.push(c);
            continue;
        }
        let person = store.person(c.person_id).await?.context("demo person")?;
        let doc = match &person.data.id_card {
            Some(card) => format!("ID-картка № {}", card.as_str()),
            None => "паспорт громадянина України".to_owned(),
        };
        let input = IssueInput {
            recipient_name: person.data.name.display(),
            recipient: Recipient::Owner { identity_document: doc },
            signature: "tick".into(),
        };
        store.issue_certificate(&specialist, c.id, &input.validate()?, day(5)).await?;
    }
    // One arrived unusable: the commission's act has two of three signatures.
    if let Some(c) = rest.first() {
        let district = actor(store, "district").await?;
        let act = store
            .create_destruction_act(
                &district,
                o.districts[0].id,
                commission_order,
                &[DestructionLine { certificate_id: c.id, reason: DestructionReason::Unusable }],
                day(6),
            )
            .await?;
        store.sign_destruction_act(&district, act.id, day(6)).await?;
        store.sign_destruction_act(&actor(store, "commission").await?, act.id, day(6)).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_weeks_applications_belong_to_the_week_closed_last_at_any_hour() {
        let monday = DateTime::parse_from_rfc3339("2026-12-07T00:00:00Z").unwrap().with_timezone(&Utc);
        for quarter in 0..4 * 24 * 7 {
            let now = monday + Duration::minutes(15 * quarter);
            let filed = filed_last_week(now);
            assert_eq!(BatchWeek::of_acceptance(filed), BatchLevel::District.open_week(now).prev(), "{now}");
            assert!(now - filed > Duration::days(6), "the chain of five days and the region's two have run: {now}");
        }
    }
}

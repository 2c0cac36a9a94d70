//! [`PensionRecords`] on SQL. An employer's report is judged whole inside its
//! transaction — persons, months already reported, the periods on file — and
//! written with multi-row inserts, so a large report costs a few statements;
//! it adds to each person's yearly sums, which the record is read from.
use std::collections::{BTreeMap, HashMap, HashSet};

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use dossier_db::audit::PendingEntry;
use dossier_db::{BeginWrite, StoreError, StoreResult, append_audit, on_db};
use dossier_domain::Invalid;
use dossier_domain::org::UnitPath;
use dossier_domain::record::{Activity, ReportRow, check_period, overlap};
use serde_json::json;
use uuid::Uuid;

use super::{CHUNK, MAX_PROBLEMS, SqlStore};
use crate::*;

/// A person's insurance periods with their employers and the report that opened each.
const PERIODS_OF_PERSON: &str = "SELECT p.employer, e.name, p.kind, p.starts_on, p.ends_on, r.received_at \
     FROM insurance_periods p JOIN employers e ON e.code = p.employer \
     JOIN employer_reports r ON r.id = p.opened_by \
     WHERE p.person_id = $1 ORDER BY p.starts_on, p.employer";
/// A person's years as the import summed them: a row per year and employer,
/// its months as a bitmask.
const YEARS_OF_PERSON: &str = "SELECT y.year, e.name, y.wage, y.contribution, y.months \
     FROM earning_years y JOIN employers e ON e.code = y.employer WHERE y.person_id = $1 \
     ORDER BY y.year, e.name";
/// A period this report opens.
struct NewPeriod {
    id: Uuid,
    person: Uuid,
    kind: Activity,
    from: NaiveDate,
    to: Option<NaiveDate>,
}

/// The period a person's rows currently run in.
#[derive(Clone, Copy)]
enum Open {
    OnFile(Uuid, NaiveDate),
    New(usize),
}

type CorrectionRow =
    (Uuid, Uuid, String, Option<i64>, String, String, Option<String>, DateTime<Utc>, Option<DateTime<Utc>>);
const CORRECTION_COLS: &str = "id, person_id, unit_path, year, text, status, answer, created_at, resolved_at";

fn correction(r: CorrectionRow) -> StoreResult<Correction> {
    Ok(Correction {
        id: r.0,
        person_id: r.1,
        unit_path: UnitPath::parse(&r.2).ok_or_else(|| StoreError::corrupt("correction unit path"))?,
        year: r.3.map(|y| y as i32),
        text: r.4,
        status: r.5,
        answer: r.6,
        created_at: r.7,
        resolved_at: r.8,
    })
}

#[async_trait]
impl PensionRecords for SqlStore {
    async fn save_employer(&self, actor: &Actor, code: &str, name: &str) -> StoreResult<Employer> {
        on_db!(&self.db, write, |pool, d| {
            let mut tx = pool.begin_write().await?;
            sqlx::query(
                "INSERT INTO employers (code, name, created_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (code) DO UPDATE SET name = excluded.name",
            )
            .bind(code)
            .bind(name)
            .bind(Utc::now())
            .execute(&mut *tx)
            .await?;
            let entry = PendingEntry::new(&actor.label, "employer.save", format!("employer:{code}"), json!({}));
            append_audit!(tx, d, vec![entry]);
            tx.commit().await?;
        });
        Ok(Employer { code: code.to_owned(), name: name.to_owned() })
    }

    async fn employer(&self, code: &str) -> StoreResult<Option<Employer>> {
        let row: Option<(String, String)> = on_db!(&self.db, read, |pool, _d| {
            sqlx::query_as("SELECT code, name FROM employers WHERE code = $1").bind(code).fetch_optional(pool).await?
        });
        Ok(row.map(|(code, name)| Employer { code, name }))
    }

    async fn import_report(
        &self,
        actor: &Actor,
        employer: &str,
        rows: &[(i64, ReportRow)],
        today: NaiveDate,
    ) -> StoreResult<ReportReceipt> {
        let report_id = Uuid::now_v7();
        let now = Utc::now();
        on_db!(&self.db, write, |pool, d| {
            let mut tx = pool.begin_write().await?;
            let known: Option<String> = sqlx::query_scalar("SELECT code FROM employers WHERE code = $1")
                .bind(employer)
                .fetch_optional(&mut *tx)
                .await?;
            if known.is_none() {
                return Err(Invalid::one("employer", "record.unknown_employer").into());
            }
            // The people, by RNOKPP.
            let keys: Vec<&str> = {
                let mut k: Vec<&str> = rows.iter().map(|(_, r)| r.rnokpp.as_str()).collect();
                k.sort_unstable();
                k.dedup();
                k
            };
            let mut persons: HashMap<String, (Uuid, NaiveDate)> = HashMap::with_capacity(keys.len());
            for chunk in keys.chunks(CHUNK) {
                let sql =
                    format!("SELECT rnokpp, id, birth_date FROM persons WHERE rnokpp IN ({})", d.list(0, chunk.len()));
                let mut q = sqlx::query_as::<_, (String, Uuid, NaiveDate)>(&sql).persistent(false);
                for k in chunk {
                    q = q.bind(*k);
                }
                persons.extend(q.fetch_all(&mut *tx).await?.into_iter().map(|(r, id, b)| (r, (id, b))));
            }
            // Their periods with this employer, and the months it already reported.
            let ids: Vec<Uuid> = persons.values().map(|(id, _)| *id).collect();
            let lo = rows.iter().map(|(_, r)| r.month.key()).min().unwrap_or(0);
            let hi = rows.iter().map(|(_, r)| r.month.key()).max().unwrap_or(0);
            let mut on_file: HashMap<Uuid, Vec<(Uuid, NaiveDate, Option<NaiveDate>)>> = HashMap::new();
            let mut reported: HashSet<(Uuid, i64)> = HashSet::new();
            for chunk in ids.chunks(CHUNK) {
                // All placeholders from `list`: SQLite's anonymous `?` must not mix with `$1`.
                let sql = format!(
                    "SELECT id, person_id, starts_on, ends_on FROM insurance_periods \
                     WHERE employer = {} AND person_id IN ({})",
                    d.list(0, 1),
                    d.list(1, chunk.len())
                );
                let mut q = sqlx::query_as::<_, (Uuid, Uuid, NaiveDate, Option<NaiveDate>)>(&sql)
                    .persistent(false)
                    .bind(employer);
                for id in chunk {
                    q = q.bind(*id);
                }
                for (id, person, from, to) in q.fetch_all(&mut *tx).await? {
                    on_file.entry(person).or_default().push((id, from, to));
                }
                // By the primary key (person, employer, month): no other index to keep up.
                let sql = format!(
                    "SELECT person_id, month FROM earnings \
                     WHERE employer = {} AND month BETWEEN {} AND {} AND person_id IN ({})",
                    d.list(0, 1),
                    d.list(1, 1),
                    d.list(2, 1),
                    d.list(3, chunk.len())
                );
                let mut q = sqlx::query_as::<_, (Uuid, i64)>(&sql).persistent(false).bind(employer).bind(lo).bind(hi);
                for id in chunk {
                    q = q.bind(*id);
                }
                reported.extend(q.fetch_all(&mut *tx).await?);
            }

            // Each person's rows in month order, against their periods.
            let mut order: Vec<&(i64, ReportRow)> = rows.iter().collect();
            order.sort_by(|a, b| (a.1.rnokpp.as_str(), a.1.month, a.0).cmp(&(b.1.rnokpp.as_str(), b.1.month, b.0)));
            let mut problems = Invalid::default();
            let mut new_periods: Vec<NewPeriod> = Vec::new();
            let mut closes: Vec<(Uuid, NaiveDate)> = Vec::new();
            let mut earnings: Vec<(Uuid, &ReportRow)> = Vec::with_capacity(rows.len());
            let mut i = 0;
            while i < order.len() && problems.0.len() < MAX_PROBLEMS {
                let rnokpp = order[i].1.rnokpp.as_str();
                let end = order[i..].iter().position(|r| r.1.rnokpp.as_str() != rnokpp).map_or(order.len(), |n| i + n);
                let group = &order[i..end];
                i = end;
                let Some(&(person, birth)) = persons.get(rnokpp) else {
                    for (line, _) in group {
                        problems.push(format!("rows[{line}].rnokpp"), "record.unknown_person");
                    }
                    continue;
                };
                let periods = on_file.get(&person).map(Vec::as_slice).unwrap_or(&[]);
                let mut open = periods.iter().find(|p| p.2.is_none()).map(|p| Open::OnFile(p.0, p.1));
                let mut closed: Vec<(NaiveDate, Option<NaiveDate>)> =
                    periods.iter().filter(|p| p.2.is_some()).map(|p| (p.1, p.2)).collect();
                for (line, row) in group {
                    let bad = |problems: &mut Invalid, field: &str, key: &'static str| {
                        problems.push(format!("rows[{line}].{field}"), key)
                    };
                    if !reported.insert((person, row.month.key())) {
                        bad(&mut problems, "month", "record.month_already_reported");
                        continue;
                    }
                    if row.month.last_day() < birth {
                        bad(&mut problems, "month", "record.period_before_birth");
                        continue;
                    }
                    if let Some(hired) = row.hired {
                        if open.is_some() || closed.iter().any(|c| overlap(*c, (hired, None), today)) {
                            bad(&mut problems, "hired", "record.period_overlaps");
                            continue;
                        }
                        if let Err(m) = check_period(hired, None, birth, today) {
                            problems.push(format!("rows[{line}].hired"), m);
                            continue;
                        }
                        new_periods.push(NewPeriod {
                            id: Uuid::now_v7(),
                            person,
                            kind: row.kind,
                            from: hired,
                            to: None,
                        });
                        open = Some(Open::New(new_periods.len() - 1));
                    } else if open.is_none() {
                        let (first, last) = (row.month.first_day(), row.month.last_day());
                        let covered = closed.iter().any(|c| overlap(*c, (first, Some(last)), today));
                        if !covered {
                            // Employed before the fund's records began: from the month's first day.
                            let from = first.max(birth);
                            new_periods.push(NewPeriod { id: Uuid::now_v7(), person, kind: row.kind, from, to: None });
                            open = Some(Open::New(new_periods.len() - 1));
                        }
                    }
                    if let Some(dismissed) = row.dismissed {
                        let from = match open {
                            Some(Open::OnFile(_, from)) => from,
                            Some(Open::New(n)) => new_periods[n].from,
                            None => {
                                bad(&mut problems, "dismissed", "record.no_open_period");
                                continue;
                            }
                        };
                        if dismissed < from {
                            bad(&mut problems, "dismissed", "record.period_reversed");
                            continue;
                        }
                        match open {
                            Some(Open::OnFile(id, _)) => closes.push((id, dismissed)),
                            Some(Open::New(n)) => new_periods[n].to = Some(dismissed),
                            None => {}
                        }
                        closed.push((from, Some(dismissed)));
                        open = None;
                    }
                    earnings.push((person, row));
                }
            }
            problems.into_result()?;
            if earnings.is_empty() {
                return Err(Invalid::one("rows", "import.empty").into());
            }

            sqlx::query(
                "INSERT INTO employer_reports (id, employer, rows_count, received_by, received_at) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(report_id)
            .bind(employer)
            .bind(earnings.len() as i64)
            .bind(&actor.label)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            for chunk in new_periods.chunks(CHUNK) {
                let sql = format!(
                    "INSERT INTO insurance_periods (id, person_id, employer, kind, starts_on, ends_on, opened_by, closed_by) \
                     VALUES {}",
                    d.placeholders(chunk.len(), 8)
                );
                let mut q = sqlx::query(&sql);
                for p in chunk {
                    let closed_by = p.to.map(|_| report_id);
                    q = q.bind(p.id).bind(p.person).bind(employer).bind(p.kind.as_str()).bind(p.from).bind(p.to);
                    q = q.bind(report_id).bind(closed_by);
                }
                q.execute(&mut *tx).await?;
            }
            for (id, to) in &closes {
                sqlx::query("UPDATE insurance_periods SET ends_on = $1, closed_by = $2 WHERE id = $3")
                    .bind(to)
                    .bind(report_id)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            // In key order: each B-tree page is visited once per report, not once per row.
            earnings.sort_unstable_by_key(|(person, row)| (*person, row.month.key()));
            for chunk in earnings.chunks(CHUNK) {
                let sql = format!(
                    "INSERT INTO earnings (person_id, employer, month, wage, contribution, report_id) VALUES {}",
                    d.placeholders(chunk.len(), 6)
                );
                let mut q = sqlx::query(&sql);
                for (person, row) in chunk {
                    q = q.bind(person).bind(employer).bind(row.month.key()).bind(row.wage).bind(row.contribution);
                    q = q.bind(report_id);
                }
                q.execute(&mut *tx).await?;
            }
            // The years the report adds to, summed here: one row per person and year, not per month.
            let mut years: BTreeMap<(Uuid, i64), (i64, i64, i64)> = BTreeMap::new();
            for (person, row) in &earnings {
                let sum = years.entry((*person, i64::from(row.month.year()))).or_default();
                sum.0 += row.wage;
                sum.1 += row.contribution;
                sum.2 |= 1 << (row.month.month() - 1);
            }
            let years: Vec<_> = years.into_iter().collect();
            for chunk in years.chunks(CHUNK) {
                let sql = format!(
                    "INSERT INTO earning_years (person_id, year, employer, wage, contribution, months) VALUES {} \
                     ON CONFLICT (person_id, year, employer) DO UPDATE SET \
                     wage = earning_years.wage + excluded.wage, \
                     contribution = earning_years.contribution + excluded.contribution, \
                     months = earning_years.months | excluded.months",
                    d.placeholders(chunk.len(), 6)
                );
                let mut q = sqlx::query(&sql);
                for ((person, year), (wage, contribution, months)) in chunk {
                    q = q.bind(person).bind(year).bind(employer).bind(wage).bind(contribution).bind(months);
                }
                q.execute(&mut *tx).await?;
            }
            let details = json!({"report": report_id, "rows": earnings.len(), "periods_opened": new_periods.len()});
            let entry = PendingEntry::new(&actor.label, "record.report", format!("employer:{employer}"), details);
            append_audit!(tx, d, vec![entry]);
            tx.commit().await?;
            Ok(ReportReceipt {
                id: report_id,
                employer: employer.to_owned(),
                rows: earnings.len() as i64,
                periods_opened: new_periods.len() as i64,
                periods_closed: (closes.len() + new_periods.iter().filter(|p| p.to.is_some()).count()) as i64,
            })
        })
    }

    async fn pension_record(&self, person_id: Uuid) -> StoreResult<PensionRecord> {
        type PeriodRow = (String, String, String, NaiveDate, Option<NaiveDate>, DateTime<Utc>);
        type YearRow = (i64, String, i64, i64, i64);
        let periods: Vec<PeriodRow> = self.rows_of(PERIODS_OF_PERSON, person_id).await?;
        let rows: Vec<YearRow> = self.rows_of(YEARS_OF_PERSON, person_id).await?;
        let periods = periods
            .into_iter()
            .map(|(employer, employer_name, kind, from, to, reported_at)| {
                Ok(PeriodRecord {
                    employer,
                    employer_name,
                    kind: Activity::parse(&kind).map_err(|_| StoreError::corrupt("period kind"))?,
                    from,
                    to,
                    reported_at,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        let mut years: Vec<(YearRecord, i64)> = Vec::new();
        for (year, name, wage, contribution, months) in rows {
            match years.last_mut() {
                Some((y, mask)) if i64::from(y.year) == year => {
                    y.wage += wage;
                    y.contribution += contribution;
                    *mask |= months;
                    if !y.employers.contains(&name) {
                        y.employers.push(name);
                    }
                }
                _ => years.push((
                    YearRecord { year: year as i32, months: 0, wage, contribution, employers: vec![name] },
                    months,
                )),
            }
        }
        let years = years
            .into_iter()
            .map(|(mut y, mask)| {
                y.months = mask.count_ones();
                y
            })
            .collect();
        Ok(PensionRecord { periods, years })
    }

    async fn report_record_mistake(&self, m: &NewCorrection) -> StoreResult<Correction> {
        let id = Uuid::now_v7();
        let now = Utc::now();
        let person = self.person(m.person_id).await?.ok_or(StoreError::NotFound)?;
        on_db!(&self.db, write, |pool, d| {
            let mut tx = pool.begin_write().await?;
            sqlx::query(&format!(
                "INSERT INTO record_corrections ({CORRECTION_COLS}, reported_by) \
                 VALUES ($1, $2, $3, $4, $5, 'open', NULL, $6, NULL, $7)"
            ))
            .bind(id)
            .bind(m.person_id)
            .bind(person.unit_path.as_str())
            .bind(m.year.map(i64::from))
            .bind(&m.text)
            .bind(now)
            .bind(&m.reported_by)
            .execute(&mut *tx)
            .await?;
            let entry = PendingEntry::new(
                &m.reported_by,
                "record.mistake",
                format!("person:{}", m.person_id),
                json!({"correction": id}),
            );
            append_audit!(tx, d, vec![entry]);
            tx.commit().await?;
        });
        self.record_correction(id).await?.ok_or(StoreError::NotFound)
    }

    async fn record_corrections(&self, scope: &UnitPath, open_only: bool) -> StoreResult<Vec<Correction>> {
        let (lo, hi) = super::subtree_range(scope);
        let status = if open_only { " AND status = 'open'" } else { "" };
        let rows: Vec<CorrectionRow> = on_db!(&self.db, read, |pool, _d| {
            sqlx::query_as(&format!(
                "SELECT {CORRECTION_COLS} FROM record_corrections WHERE unit_path >= $1 AND unit_path < $2{status} \
                 ORDER BY created_at LIMIT 500"
            ))
            .bind(&lo)
            .bind(&hi)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(correction).collect()
    }

    async fn record_corrections_of(&self, person_id: Uuid) -> StoreResult<Vec<Correction>> {
        let sql =
            format!("SELECT {CORRECTION_COLS} FROM record_corrections WHERE person_id = $1 ORDER BY created_at DESC");
        let rows: Vec<CorrectionRow> = self.rows_of(&sql, person_id).await?;
        rows.into_iter().map(correction).collect()
    }

    async fn record_correction(&self, id: Uuid) -> StoreResult<Option<Correction>> {
        let row: Option<CorrectionRow> = on_db!(&self.db, read, |pool, _d| {
            sqlx::query_as(&format!("SELECT {CORRECTION_COLS} FROM record_corrections WHERE id = $1"))
                .bind(id)
                .fetch_optional(pool)
                .await?
        });
        row.map(correction).transpose()
    }

    async fn resolve_record_correction(&self, actor: &Actor, id: Uuid, answer: &str) -> StoreResult<Correction> {
        let now = Utc::now();
        on_db!(&self.db, write, |pool, d| {
            let mut tx = pool.begin_write().await?;
            let done = sqlx::query(
                "UPDATE record_corrections SET status = 'resolved', answer = $1, resolved_at = $2 \
                 WHERE id = $3 AND status = 'open'",
            )
            .bind(answer)
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::Conflict(dossier_domain::Message::new("record.correction_closed")));
            }
            let entry =
                PendingEntry::new(&actor.label, "record.correction_resolved", format!("correction:{id}"), json!({}));
            append_audit!(tx, d, vec![entry]);
            tx.commit().await?;
            Ok::<(), StoreError>(())
        })?;
        self.record_correction(id).await?.ok_or(StoreError::NotFound)
    }
}

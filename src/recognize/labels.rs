//! The forms' own labels: what the recogniser anchors on.
//!
//! Each label is a pattern over normalised text (full-width ASCII already
//! half-width, so `（過程）` reads `(過程)`). A label is either *strong*
//! (distinctive wherever it stands: `プロセス(過程)指標`, `【撤退・再構築基準】`)
//! or *anchored* (a common word that is a label only at the start of a cell
//! or line: `要因分析`, `めざす状態`), and may have to be *whole* (the whole
//! cell or line: `計画`, `課題`, `戦略`).

use crate::model::BudgetKind;
use regex::Regex;
use std::sync::LazyLock;

#[derive(Debug, Clone, PartialEq)]
pub enum Label {
    // 様式1
    Goal,
    Mission,
    /// `令和4年度 区運営の基本的な考え方(区長の方針)`, with the year as printed.
    Policy(Option<String>),
    Form1Table,
    /// Column headers that carry no value (経営課題の概要, 主な戦略, …).
    Header,
    KeyIssue(u32),
    KeyStrategy {
        id: String,
        title: String,
    },
    MainInitiatives,
    MainInitiative {
        id: String,
        title: String,
    },
    // 様式3
    Reform,
    /// A bracketed title without an id: `【歳入の確保(独自財源の確保)】`.
    Bracket(String),
    // 様式2
    Form2,
    Issue {
        n: u32,
        title: Option<String>,
    },
    Sdgs,
    Vision,
    CurrentState,
    FactorAnalysis,
    Challenges,
    IssueEvaluation,
    Strategy {
        id: String,
        title: Option<String>,
    },
    TargetState,
    Approach,
    Outcome,
    /// 計画 / 自己評価 / 中間振り返り: a vertical section label.
    Section,
    EvalEffectiveness,
    EvalOutcome,
    EvalProgress,
    /// 課題 (a strategy's or a self-evaluation's)
    Issues,
    /// 今後の対応方向
    Direction,
    Initiative {
        id: String,
        title: Option<String>,
    },
    Budget {
        n: i32,
        kind: BudgetKind,
    },
    Activities,
    Process,
    Rebuild,
    Prior,
    ReviewAchievement,
    ReviewIssuesImprovements,
    ReviewEffectiveness,
    ReviewResults,
    Improvements,
    /// Page furniture and instructions (`【様式2】`, `資料 A`, `※…必須`).
    Junk,
    // The digest (概要版)
    ShortOutcome,
    ShortApproach,
    ShortInitiative {
        id: String,
        title: Option<String>,
    },
}

/// Where a label may stand.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    Anywhere,
    /// At the start of a cell or line.
    Start,
    /// The whole cell or line.
    Whole,
}

/// Which grammar uses a label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Set {
    Plan,
    Summary,
}

/// Builds a label from its pattern's captures.
type Make = fn(&Local) -> Option<Label>;

/// A definition's captures inside the catalogue's combined regex, read by
/// the definition's own group names.
pub struct Local<'a, 'h> {
    caps: &'a regex::Captures<'h>,
    prefix: &'a str,
}

impl<'h> Local<'_, 'h> {
    fn name(&self, n: &str) -> Option<regex::Match<'h>> {
        self.caps.name(&format!("{}{n}", self.prefix))
    }
}

struct Def {
    pattern: &'static str,
    place: Place,
    sets: &'static [Set],
    make: Make,
}

const BOTH: &[Set] = &[Set::Plan, Set::Summary];
const PLAN: &[Set] = &[Set::Plan];
const SUMMARY: &[Set] = &[Set::Summary];

fn id_of(c: &Local, name: &str) -> Option<String> {
    c.name(name).and_then(|m| crate::normalize::normalize_id(m.as_str()))
}

fn opt_title(c: &Local, name: &str) -> Option<String> {
    c.name(name)
        .map(|m| crate::normalize::collapse_spaces(m.as_str()))
        .filter(|t| !t.is_empty())
}

/// The catalogue, most specific first: at one position the first pattern
/// that matches wins.
fn defs() -> Vec<Def> {
    vec![
        // Strategy and initiative headings (longest, carry ids and titles).
        Def {
            pattern: r"めざす成果[ \t]*(?:及び|および)[ \t]*戦略[ \t]*(?P<id>[0-9]+[ \t]*-[ \t]*[0-9]+)(?:[ \t]*【(?P<t>[^】]*)】)?",
            place: Place::Anywhere,
            sets: BOTH,
            make: |c| {
                Some(Label::Strategy {
                    id: id_of(c, "id")?,
                    title: opt_title(c, "t"),
                })
            },
        },
        Def {
            pattern: r"具体的取組[ \t]*(?P<id>[0-9]+[ \t]*-[ \t]*[0-9]+[ \t]*-[ \t]*[0-9]+)(?:[ \t]*【(?P<t>[^】]*)】)?",
            place: Place::Anywhere,
            sets: PLAN,
            make: |c| {
                Some(Label::Initiative {
                    id: id_of(c, "id")?,
                    title: opt_title(c, "t"),
                })
            },
        },
        Def {
            pattern: r"【[ \t]*(?P<id>[0-9]+[ \t]*-[ \t]*[0-9]+[ \t]*-[ \t]*[0-9]+)[ \t]*(?P<t>[^】]*)】",
            place: Place::Anywhere,
            sets: PLAN,
            make: |c| {
                Some(Label::MainInitiative {
                    id: id_of(c, "id")?,
                    title: opt_title(c, "t").unwrap_or_default(),
                })
            },
        },
        Def {
            pattern: r"【[ \t]*経営課題[ \t]*(?P<n>[0-9]+)[ \t]*】",
            place: Place::Anywhere,
            sets: PLAN,
            make: |c| Some(Label::KeyIssue(c.name("n")?.as_str().parse().ok()?)),
        },
        Def {
            pattern: r"【[ \t]*(?P<id>[0-9]+[ \t]*-[ \t]*[0-9]+)[ \t]*(?P<t>[^】\-0-9 \t][^】]*)】",
            place: Place::Anywhere,
            sets: PLAN,
            make: |c| {
                Some(Label::KeyStrategy {
                    id: id_of(c, "id")?,
                    title: opt_title(c, "t").unwrap_or_default(),
                })
            },
        },
        Def {
            pattern: r"【[ \t]*撤退[ \t]*・[ \t]*再構築基準[ \t]*】",
            place: Place::Anywhere,
            sets: PLAN,
            make: |_| Some(Label::Rebuild),
        },
        Def {
            pattern: r"【[ \t]*主なSDGsゴール[ \t]*】",
            place: Place::Anywhere,
            sets: PLAN,
            make: |_| Some(Label::Sdgs),
        },
        Def {
            pattern: r"【[ \t]*様式[ \t]*[0-9][ \t]*】|資料[ \t]*[A-Z]$|^[0-9]{1,3}$|^円(?:[ \t]+円)*$|詳細版はこちら|^\(区役所HP\)$",
            place: Place::Anywhere,
            sets: BOTH,
            make: |_| Some(Label::Junk),
        },
        Def {
            pattern: r"※[^※]*?必須",
            place: Place::Anywhere,
            sets: PLAN,
            make: |_| Some(Label::Junk),
        },
        Def {
            pattern: r"R[ \t]*[0-9]+[ \t]*年度[ \t]*自己評価[ \t]*を踏まえ変更",
            place: Place::Anywhere,
            sets: SUMMARY,
            make: |_| Some(Label::Junk),
        },
        // 様式1
        Def {
            pattern: r"区の目標[ \t]*(?:\([^)]*\))?",
            place: Place::Start,
            sets: PLAN,
            make: |_| Some(Label::Goal),
        },
        Def {
            pattern: r"区の使命[ \t]*(?:\([^)]*\))?",
            place: Place::Start,
            sets: PLAN,
            make: |_| Some(Label::Mission),
        },
        Def {
            pattern: r"(?P<y>(?:令和|平成|R|H)[ \t]*(?:元|[0-9]{1,2})[ \t]*年度)?[ \t]*区運営の基本的な考え方[ \t]*(?:\(区長の方針\))?",
            place: Place::Start,
            sets: PLAN,
            make: |c| Some(Label::Policy(c.name("y").map(|m| m.as_str().to_string()))),
        },
        Def {
            pattern: r"重点的に取り組む主な経営課題[ \t]*\([ \t]*様式[ \t]*2[ \t]*\)",
            place: Place::Start,
            sets: PLAN,
            make: |_| Some(Label::Form1Table),
        },
        Def {
            pattern: r"重点的に取り組む主な経営課題",
            place: Place::Start,
            sets: PLAN,
            make: |_| Some(Label::Form2),
        },
        Def {
            pattern: r"経営課題の概要|主な戦略$|^主な戦略[ \t]|主な取組項目|◆[ \t]*計画|◆[ \t]*自己評価|1年間の取組成果と今後取り組みたいこと|解決すべき課題と今後の改善方向",
            place: Place::Anywhere,
            sets: PLAN,
            make: |_| Some(Label::Header),
        },
        Def {
            pattern: r"主な具体的取組[ \t]*(?:\([^)]*\))?",
            place: Place::Start,
            sets: PLAN,
            make: |_| Some(Label::MainInitiatives),
        },
        Def {
            pattern: r"「?[ \t]*市政改革プラン[^」]*」?[ \t]*に基づく取組等[ \t]*(?:\([ \t]*様式[ \t]*3[ \t]*\))?",
            place: Place::Start,
            sets: PLAN,
            make: |_| Some(Label::Reform),
        },
        // 様式2: the key issue block
        Def {
            pattern: r"経営課題[ \t]*(?P<n>[0-9]+)(?:[ \t]*【(?P<t>[^】]*)】)?",
            place: Place::Start,
            sets: PLAN,
            make: |c| {
                Some(Label::Issue {
                    n: c.name("n")?.as_str().parse().ok()?,
                    title: opt_title(c, "t"),
                })
            },
        },
        Def {
            pattern: r"めざすべき将来像[ \t]*(?:\([ \t]*最終的なめざす状態[ \t]*\))?[ \t]*(?:[<く〈][^>〉]*[>〉])?",
            place: Place::Start,
            sets: PLAN,
            make: |_| Some(Label::Vision),
        },
        Def {
            pattern: r"現状[ \t]*\([ \t]*課題設定の根拠となる現状・データ[ \t]*\)",
            place: Place::Start,
            sets: PLAN,
            make: |_| Some(Label::CurrentState),
        },
        Def {
            pattern: r"要因分析[ \t]*(?:\([^)]*\))?",
            place: Place::Start,
            sets: PLAN,
            make: |_| Some(Label::FactorAnalysis),
        },
        Def {
            pattern: r"課題[ \t]*\([ \t]*上記要因を解消するために必要なこと[ \t]*\)",
            place: Place::Start,
            sets: PLAN,
            make: |_| Some(Label::Challenges),
        },
        Def {
            pattern: r"戦略の進捗状況を踏まえた経営課題全体としての評価結果の総括",
            place: Place::Anywhere,
            sets: PLAN,
            make: |_| Some(Label::IssueEvaluation),
        },
        // The strategy block
        Def {
            pattern: r"めざす状態[ \t]*(?:[<く〈(][^>〉)]*[>〉)])?",
            place: Place::Start,
            sets: BOTH,
            make: |_| Some(Label::TargetState),
        },
        Def {
            pattern: r"戦略[ \t]*\([ \t]*中期的な取組の方向性[ \t]*\)",
            place: Place::Anywhere,
            sets: PLAN,
            make: |_| Some(Label::Approach),
        },
        Def {
            pattern: r"アウトカム[ \t]*\([ \t]*成果[ \t]*\)[ \t]*指標[ \t]*(?:\([ \t]*めざす状態を数値化した指標[ \t]*\))?",
            place: Place::Anywhere,
            sets: PLAN,
            make: |_| Some(Label::Outcome),
        },
        Def {
            pattern: r"戦略のアウトカム(?:指標)?に[ \t]*対[ \t]*する[ \t]*有効性",
            place: Place::Anywhere,
            sets: PLAN,
            make: |_| Some(Label::EvalEffectiveness),
        },
        Def {
            pattern: r"アウトカム指標の達成状況",
            place: Place::Anywhere,
            sets: PLAN,
            make: |_| Some(Label::EvalOutcome),
        },
        Def {
            pattern: r"戦略の進捗状況",
            place: Place::Anywhere,
            sets: PLAN,
            make: |_| Some(Label::EvalProgress),
        },
        Def {
            pattern: r"今後の対応方向",
            place: Place::Start,
            sets: PLAN,
            make: |_| Some(Label::Direction),
        },
        Def {
            pattern: r"計[ \t]*画|自[ \t]*己[ \t]*評[ \t]*価|中[ \t]*間[ \t]*振[ \t]*り[ \t]*返[ \t]*り",
            place: Place::Whole,
            sets: BOTH,
            make: |_| Some(Label::Section),
        },
        // The initiative block
        Def {
            pattern: r"(?P<n>元|[0-9]{1,2})[ \t]*(?P<k>決算額|予算額)",
            place: Place::Anywhere,
            sets: PLAN,
            make: |c| {
                let n = match c.name("n")?.as_str() {
                    "元" => 1,
                    s => s.parse().ok()?,
                };
                let kind = if c.name("k")?.as_str() == "決算額" {
                    BudgetKind::Settled
                } else {
                    BudgetKind::Budget
                };
                Some(Label::Budget { n, kind })
            },
        },
        Def {
            pattern: r"当年度の取組内容",
            place: Place::Anywhere,
            sets: PLAN,
            make: |_| Some(Label::Activities),
        },
        Def {
            pattern: r"プロセス[ \t]*\([ \t]*過程[ \t]*\)[ \t]*指標[ \t]*(?:\([ \t]*取組によりめざす指標[ \t]*\))?",
            place: Place::Anywhere,
            sets: BOTH,
            make: |_| Some(Label::Process),
        },
        Def {
            pattern: r"前年度までの実績",
            place: Place::Anywhere,
            sets: PLAN,
            make: |_| Some(Label::Prior),
        },
        Def {
            pattern: r"プロセス指標の達成状況",
            place: Place::Anywhere,
            sets: PLAN,
            make: |_| Some(Label::ReviewAchievement),
        },
        Def {
            pattern: r"課題と改善策",
            place: Place::Anywhere,
            sets: PLAN,
            make: |_| Some(Label::ReviewIssuesImprovements),
        },
        Def {
            pattern: r"戦略に対する取組の有効性",
            place: Place::Anywhere,
            sets: PLAN,
            make: |_| Some(Label::ReviewEffectiveness),
        },
        Def {
            pattern: r"当年度の取組実績",
            place: Place::Anywhere,
            sets: PLAN,
            make: |_| Some(Label::ReviewResults),
        },
        Def {
            pattern: r"前年度[ \t]+個別[ \t]+全体|^\(区長[ \t]*:[^)]*\)$",
            place: Place::Anywhere,
            sets: PLAN,
            make: |_| Some(Label::Junk),
        },
        Def {
            pattern: r"主な取組項目|取組内容$|(?:令和|平成)[ \t]*(?:元|[0-9]{1,2})[ \t]*年度[ \t]*[^ \t]*運営方針.*(?:について|概要版)$",
            place: Place::Start,
            sets: PLAN,
            make: |_| Some(Label::Header),
        },
        Def {
            pattern: r"(?:^|[ \t])課題(?:[ \t]*※[^※]*?必須|[ \t]*$)",
            place: Place::Anywhere,
            sets: PLAN,
            make: |_| Some(Label::Issues),
        },
        Def {
            pattern: r"(?:^|[ \t])改善策(?:[ \t]*※[^※]*?必須|[ \t]*$)",
            place: Place::Anywhere,
            sets: PLAN,
            make: |_| Some(Label::Improvements),
        },
        // The digest's short labels
        Def {
            pattern: r"具体的[ \t]*取組|取組内容|単年度[ \t]*目標|プロセス[ \t]*\([ \t]*過程[ \t]*\)[ \t]*指標",
            place: Place::Whole,
            sets: SUMMARY,
            make: |_| Some(Label::Header),
        },
        Def {
            pattern: r"アウトカム指標",
            place: Place::Whole,
            sets: SUMMARY,
            make: |_| Some(Label::ShortOutcome),
        },
        Def {
            pattern: r"戦略",
            place: Place::Whole,
            sets: SUMMARY,
            make: |_| Some(Label::ShortApproach),
        },
        Def {
            pattern: r"(?P<id>[0-9]+[ \t]*-[ \t]*[0-9]+[ \t]*-[ \t]*[0-9]+)(?:[ \t]+(?P<t>.+)|$)",
            place: Place::Start,
            sets: SUMMARY,
            make: |c| {
                Some(Label::ShortInitiative {
                    id: id_of(c, "id")?,
                    title: opt_title(c, "t"),
                })
            },
        },
        // Last: any other bracketed title.
        Def {
            pattern: r"【(?P<t>[^】0-9][^】]*)】",
            place: Place::Anywhere,
            sets: PLAN,
            make: |c| Some(Label::Bracket(opt_title(c, "t")?)),
        },
    ]
}

/// A compiled catalogue for one grammar: one regex of all alternatives to
/// find the leftmost label, and each definition's own regex to read its
/// captures.
pub struct Catalogue {
    re: Regex,
    /// (group name in `re`, the prefix of its inner groups, its constructor)
    defs: Vec<(String, String, Make)>,
}

/// A label found in a text, with its byte range.
#[derive(Debug, Clone)]
pub struct Found {
    pub label: Label,
    pub start: usize,
    pub end: usize,
}

impl Catalogue {
    fn build(set: Set) -> Catalogue {
        let mut alts = Vec::new();
        let mut defs_out = Vec::new();
        for (i, d) in defs().into_iter().enumerate() {
            if !d.sets.contains(&set) {
                continue;
            }
            let anchored = match d.place {
                Place::Anywhere => d.pattern.to_string(),
                Place::Start => format!(r"^[ \t]*(?:{})", d.pattern),
                Place::Whole => format!(r"^[ \t]*(?:{})[ \t]*$", d.pattern),
            };
            // Inner group names get a per-definition prefix so they stay
            // unique in the combined regex.
            let renamed = anchored.replace("(?P<", &format!("(?P<g{i}_"));
            let name = format!("d{i}");
            alts.push(format!("(?P<{name}>{renamed})"));
            defs_out.push((name, format!("g{i}_"), d.make));
        }
        let re = Regex::new(&alts.join("|")).expect("label catalogue compiles");
        Catalogue { re, defs: defs_out }
    }

    /// Every label in `text` (one cell item or line), in order.
    pub fn find(&self, text: &str) -> Vec<Found> {
        let mut out = Vec::new();
        let mut pos = 0;
        while pos <= text.len() {
            let Some(caps) = self.re.captures_at(text, pos) else {
                break;
            };
            let Some(whole) = caps.get(0) else { break };
            let (start, end) = (whole.start(), whole.end());
            let matched = self.defs.iter().find(|(name, _, _)| caps.name(name).is_some());
            if let Some((_, prefix, make)) = matched {
                let slice = &text[start..end];
                let local = Local { caps: &caps, prefix };
                if let Some(label) = make(&local) {
                    let lead = slice.len() - slice.trim_start().len();
                    out.push(Found {
                        label,
                        start: start + lead,
                        end,
                    });
                }
            }
            pos = if end > start { end } else { next_char(text, end) };
        }
        out
    }
}

fn next_char(text: &str, pos: usize) -> usize {
    text[pos..]
        .chars()
        .next()
        .map_or(text.len() + 1, |c| pos + c.len_utf8())
}

pub static PLAN_LABELS: LazyLock<Catalogue> = LazyLock::new(|| Catalogue::build(Set::Plan));
pub static SUMMARY_LABELS: LazyLock<Catalogue> = LazyLock::new(|| Catalogue::build(Set::Summary));

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(cat: &Catalogue, s: &str) -> Vec<Label> {
        cat.find(&crate::normalize::text(s))
            .into_iter()
            .map(|f| f.label)
            .collect()
    }

    #[test]
    fn initiative_heading_with_its_title() {
        assert_eq!(
            labels(&PLAN_LABELS, "具体的取組1－2－1 【地域活動協議会の自律的運営の支援】"),
            [Label::Initiative {
                id: "1-2-1".into(),
                title: Some("地域活動協議会の自律的運営の支援".into())
            }]
        );
        assert_eq!(
            labels(&PLAN_LABELS, "具体的取組１－１－１ 【人と人とのつながりづくり】"),
            [Label::Initiative {
                id: "1-1-1".into(),
                title: Some("人と人とのつながりづくり".into())
            }]
        );
    }

    #[test]
    fn budgets_inside_cells() {
        assert_eq!(
            labels(&PLAN_LABELS, "- 円 3予算額"),
            [Label::Budget {
                n: 3,
                kind: BudgetKind::Budget
            }]
        );
        assert_eq!(
            labels(&PLAN_LABELS, "２決算額 - ３予算額 - ４予算額 -"),
            [
                Label::Budget {
                    n: 2,
                    kind: BudgetKind::Settled
                },
                Label::Budget {
                    n: 3,
                    kind: BudgetKind::Budget
                },
                Label::Budget {
                    n: 4,
                    kind: BudgetKind::Budget
                }
            ]
        );
        // The 様式1 header is not a budget cell.
        assert_eq!(
            labels(&PLAN_LABELS, "主な具体的取組（4年度予算額）"),
            [Label::MainInitiatives]
        );
    }

    #[test]
    fn process_indicator_and_rebuild_in_one_cell() {
        let l = labels(
            &PLAN_LABELS,
            "プロセス（過程）指標（取組によりめざす指標） 区民…:95%以上 【撤退・再構築基準】 区民…90%未満であれば",
        );
        assert_eq!(l, [Label::Process, Label::Rebuild]);
    }

    #[test]
    fn labels_inside_longer_labels_do_not_fire() {
        // めざす状態 inside the vision and outcome labels.
        assert_eq!(
            labels(
                &PLAN_LABELS,
                "めざすべき将来像（最終的なめざす状態）<概ね10～20年間を念頭に設定>"
            ),
            [Label::Vision]
        );
        assert_eq!(
            labels(&PLAN_LABELS, "アウトカム（成果）指標（めざす状態を数値化した指標）"),
            [Label::Outcome]
        );
        // 戦略の進捗状況 inside the issue-wide summary label.
        assert_eq!(
            labels(
                &PLAN_LABELS,
                "戦略の進捗状況を踏まえた経営課題全体としての評価結果の総括"
            ),
            [Label::IssueEvaluation]
        );
        // OCR'd < as く.
        assert_eq!(
            labels(&PLAN_LABELS, "めざす状態く概ね3～5年間を念頭に設定>"),
            [Label::TargetState]
        );
    }

    #[test]
    fn weak_words_in_sentences_are_not_labels() {
        assert!(labels(&PLAN_LABELS, "地域課題の解決に向けた取組").is_empty());
        assert!(labels(&PLAN_LABELS, "計画的に進める").is_empty());
        assert_eq!(labels(&PLAN_LABELS, "課題"), [Label::Issues]);
        assert_eq!(labels(&PLAN_LABELS, "計　画"), [Label::Section]);
    }

    #[test]
    fn key_issue_table() {
        assert_eq!(
            labels(
                &PLAN_LABELS,
                "【2-1 防災対策の強化】 地域防災力の… 【2-2 防犯対策の強化】 警察や…"
            ),
            [
                Label::KeyStrategy {
                    id: "2-1".into(),
                    title: "防災対策の強化".into()
                },
                Label::KeyStrategy {
                    id: "2-2".into(),
                    title: "防犯対策の強化".into()
                }
            ]
        );
        assert_eq!(
            labels(&PLAN_LABELS, "【4-1「子どもの学び」の応援】"),
            [Label::KeyStrategy {
                id: "4-1".into(),
                title: "「子どもの学び」の応援".into()
            }]
        );
        assert_eq!(labels(&PLAN_LABELS, "【経営課題２】"), [Label::KeyIssue(2)]);
    }

    #[test]
    fn digest_labels() {
        assert_eq!(
            labels(&SUMMARY_LABELS, "2-2-1 「生きる力」の獲得、"),
            [Label::ShortInitiative {
                id: "2-2-1".into(),
                title: Some("「生きる力」の獲得、".into())
            }]
        );
        assert_eq!(
            labels(&SUMMARY_LABELS, "4-2-1"),
            [Label::ShortInitiative {
                id: "4-2-1".into(),
                title: None
            }]
        );
        assert!(labels(&SUMMARY_LABELS, "4-2-1を含む").is_empty());
        assert_eq!(labels(&SUMMARY_LABELS, "戦略"), [Label::ShortApproach]);
        assert_eq!(
            labels(&SUMMARY_LABELS, "めざす成果 及び戦略2-1"),
            [Label::Strategy {
                id: "2-1".into(),
                title: None
            }]
        );
    }
}

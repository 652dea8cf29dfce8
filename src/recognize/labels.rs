//! The forms' own labels: what the recogniser anchors on.
//!
//! This is the catalogue — which labels the forms print, in each of their
//! wordings, and what each one means. How a label is found, however a ward
//! decorated, spaced or wrapped it, is the matcher's business
//! (`super::matcher`): each pattern here reads the canonical form of the
//! text, and says where the label must stand (*strong*: anywhere,
//! `プロセス(過程)指標`; *anchored*: at the start of a cell or line,
//! `要因分析`; *whole*: the whole cell or line, `計画`, `戦略`; *apart*:
//! with a boundary either side, `【撤退・再構築基準】`).

use super::matcher::{self, Def, Local, Matcher, Place};
use crate::model::BudgetKind;
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
    /// Page furniture and instructions (`資料 A`, `※…必須`, a page number).
    Junk,
    /// `様式1`, `様式2` standing apart: the form's number, printed at the
    /// top of its pages.
    FormNo(u8),
    // The digest (概要版)
    ShortOutcome,
    ShortApproach,
    ShortInitiative {
        id: String,
        title: Option<String>,
    },
}

/// Which grammar uses a label.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Set {
    Plan,
    Summary,
}

/// A label's definition: its pattern over canonical text (see `matcher`),
/// where it must stand, which grammars use it, and what it makes.
struct LabelDef {
    pattern: &'static str,
    place: Place,
    sets: &'static [Set],
    make: fn(&Local) -> Option<Label>,
}

const BOTH: &[Set] = &[Set::Plan, Set::Summary];
const PLAN: &[Set] = &[Set::Plan];
const SUMMARY: &[Set] = &[Set::Summary];

fn id_of(c: &Local, name: &str) -> Option<String> {
    c.name(name).and_then(|m| crate::normalize::normalize_id(m.as_str()))
}

/// A title as printed (its spacing kept), if any.
fn opt_title(c: &Local, name: &str) -> Option<String> {
    c.printed(name)
        .map(|t| {
            crate::normalize::collapse_spaces(t.trim_matches(|ch: char| {
                ch.is_whitespace() || matcher::is_open_bracket(ch) || matcher::is_close_bracket(ch)
            }))
        })
        .filter(|t| !t.is_empty())
}

/// The catalogue, most specific first: at one position the first pattern
/// that matches wins. Patterns read canonical text: brackets are `【】`,
/// decorations `◆`, no white space between CJK characters, and the
/// folded spellings (`取組`, `めざす`, `及び`).
fn defs() -> Vec<LabelDef> {
    vec![
        // Strategy and initiative headings (longest, carry ids and titles).
        LabelDef {
            pattern: r"めざす成果及び戦略[ \t]*【?(?P<id>[0-9]+[ \t]*-[ \t]*[0-9]+)】?(?:[ \t]*【(?P<t>[^】]*)】)?",
            place: Place::Anywhere,
            sets: BOTH,
            make: |c| {
                Some(Label::Strategy {
                    id: id_of(c, "id")?,
                    title: opt_title(c, "t"),
                })
            },
        },
        LabelDef {
            pattern: r"具体的取組[ \t]*【?(?P<id>[0-9]+[ \t]*-[ \t]*[0-9]+[ \t]*-[ \t]*[0-9]+)】?(?:[ \t]*【(?P<t>[^】]*)】)?",
            place: Place::Anywhere,
            sets: PLAN,
            make: |c| {
                Some(Label::Initiative {
                    id: id_of(c, "id")?,
                    title: opt_title(c, "t"),
                })
            },
        },
        LabelDef {
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
        LabelDef {
            pattern: r"【[ \t]*経営課題[ \t]*(?P<n>[0-9]+)[ \t]*】",
            place: Place::Anywhere,
            sets: PLAN,
            make: |c| Some(Label::KeyIssue(c.name("n")?.as_str().parse().ok()?)),
        },
        LabelDef {
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
        LabelDef {
            pattern: r"撤退・?再構築基準",
            place: Place::Apart,
            sets: PLAN,
            make: |_| Some(Label::Rebuild),
        },
        LabelDef {
            pattern: r"主なSDGsゴール",
            place: Place::Anywhere,
            sets: PLAN,
            make: |_| Some(Label::Sdgs),
        },
        // The form's number: 様式1 and 様式2 are page furniture (repeated at
        // the top of a form's pages), 様式3 starts the reform items.
        LabelDef {
            pattern: r"様式[ \t]*(?P<n>[12])",
            place: Place::Apart,
            sets: BOTH,
            make: |c| Some(Label::FormNo(c.name("n")?.as_str().parse().ok()?)),
        },
        LabelDef {
            pattern: r"様式[ \t]*3(?:「?市政改革プラン[^」]*」?に基づく取組等?)?",
            place: Place::Apart,
            sets: PLAN,
            make: |_| Some(Label::Reform),
        },
        LabelDef {
            pattern: r"資料[ \t]*[A-Z]$|^[0-9]{1,3}$|^円+$|詳細版はこちら|^\(区役所HP\)$",
            place: Place::Anywhere,
            sets: BOTH,
            make: |_| Some(Label::Junk),
        },
        LabelDef {
            pattern: r"※[^※]*?必須",
            place: Place::Anywhere,
            sets: PLAN,
            make: |_| Some(Label::Junk),
        },
        LabelDef {
            pattern: r"(?:令和|平成|R|H)[ \t]*(?:元|[0-9]+)年度自己評価を踏まえ変更",
            place: Place::Anywhere,
            sets: SUMMARY,
            make: |_| Some(Label::Junk),
        },
        // 様式1
        LabelDef {
            pattern: r"区の目標】?(?:\([^)]*\))?",
            place: Place::Start,
            sets: PLAN,
            make: |_| Some(Label::Goal),
        },
        LabelDef {
            pattern: r"区の使命】?(?:\([^)]*\))?",
            place: Place::Start,
            sets: PLAN,
            make: |_| Some(Label::Mission),
        },
        LabelDef {
            pattern: r"(?P<y>(?:令和|平成|R|H)[ \t]*(?:元|[0-9]{1,2})[ \t]*年度)?(?:\p{Han}{1,3})?区政?運営の基本的な考え方】?(?:\(区長の方針\))?",
            place: Place::Start,
            sets: PLAN,
            make: |c| Some(Label::Policy(c.printed("y").map(str::to_string))),
        },
        LabelDef {
            pattern: r"重点的に取組む主な経営課題】?\(様式[ \t]*2\)",
            place: Place::Start,
            sets: PLAN,
            make: |_| Some(Label::Form1Table),
        },
        LabelDef {
            pattern: r"重点的に取組む主な経営課題",
            place: Place::Start,
            sets: PLAN,
            make: |_| Some(Label::Form2),
        },
        LabelDef {
            pattern: r"経営課題の概要|主な取組項目|◆計画|◆自己評価|1年間の取組成果と今後取組たいこと|解決すべき課題と今後の改善方向",
            place: Place::Anywhere,
            sets: PLAN,
            make: |_| Some(Label::Header),
        },
        LabelDef {
            pattern: r"主な戦略",
            place: Place::Apart,
            sets: PLAN,
            make: |_| Some(Label::Header),
        },
        LabelDef {
            pattern: r"主な具体的取組】?(?:\([^)]*\))?",
            place: Place::Start,
            sets: PLAN,
            make: |_| Some(Label::MainInitiatives),
        },
        LabelDef {
            pattern: r"「?市政改革プラン[^」]*」?に基づく取組等(?:\(様式[ \t]*3\))?",
            place: Place::Start,
            sets: PLAN,
            make: |_| Some(Label::Reform),
        },
        // 様式2: the key issue block
        LabelDef {
            pattern: r"経営課題[ \t]*(?P<n>[0-9]+)】?(?:[ \t]*【(?P<t>[^】]*)】)?",
            place: Place::Start,
            sets: PLAN,
            make: |c| {
                Some(Label::Issue {
                    n: c.name("n")?.as_str().parse().ok()?,
                    title: opt_title(c, "t"),
                })
            },
        },
        LabelDef {
            pattern: r"めざすべき将来像】?(?:\(最終的なめざす状態\))?(?:[<く〈][^>〉]*[>〉])?",
            place: Place::Start,
            sets: PLAN,
            make: |_| Some(Label::Vision),
        },
        LabelDef {
            pattern: r"現状】?\(課題設定の根拠となる現状・データ\)",
            place: Place::Start,
            sets: PLAN,
            make: |_| Some(Label::CurrentState),
        },
        LabelDef {
            pattern: r"現状】?(?:・データ)?",
            place: Place::Head,
            sets: PLAN,
            make: |_| Some(Label::CurrentState),
        },
        LabelDef {
            pattern: r"要因分析】?(?:\([^)]*\))?",
            place: Place::Start,
            sets: PLAN,
            make: |_| Some(Label::FactorAnalysis),
        },
        LabelDef {
            pattern: r"課題】?\(上記要因を解消するために必要なこと\)",
            place: Place::Start,
            sets: PLAN,
            make: |_| Some(Label::Challenges),
        },
        LabelDef {
            pattern: r"戦略の進捗状況を踏まえた経営課題全体としての評価結果の総括",
            place: Place::Anywhere,
            sets: PLAN,
            make: |_| Some(Label::IssueEvaluation),
        },
        // The strategy block
        LabelDef {
            pattern: r"めざす状態】?(?:[<く〈(][^>〉)]*[>〉)])?",
            place: Place::Start,
            sets: BOTH,
            make: |_| Some(Label::TargetState),
        },
        LabelDef {
            pattern: r"戦略】?\(中期的な取組の方向性\)",
            place: Place::Anywhere,
            sets: PLAN,
            make: |_| Some(Label::Approach),
        },
        LabelDef {
            pattern: r"戦略のアウトカム(?:指標)?に対する有効性",
            place: Place::Anywhere,
            sets: PLAN,
            make: |_| Some(Label::EvalEffectiveness),
        },
        LabelDef {
            pattern: r"アウトカム指標の達成状況",
            place: Place::Anywhere,
            sets: PLAN,
            make: |_| Some(Label::EvalOutcome),
        },
        LabelDef {
            pattern: r"アウトカム\(成果\)指標】?(?:\(めざす状態を数値化した指標\))?",
            place: Place::Anywhere,
            sets: PLAN,
            make: |_| Some(Label::Outcome),
        },
        LabelDef {
            pattern: r"アウトカム(?:\(成果\))?指標】?(?:\(めざす状態を数値化した指標\))?",
            place: Place::Apart,
            sets: PLAN,
            make: |_| Some(Label::Outcome),
        },
        LabelDef {
            pattern: r"戦略の進捗状況",
            place: Place::Anywhere,
            sets: PLAN,
            make: |_| Some(Label::EvalProgress),
        },
        LabelDef {
            pattern: r"今後の対応方向",
            place: Place::Start,
            sets: PLAN,
            make: |_| Some(Label::Direction),
        },
        LabelDef {
            pattern: r"計画|自己評価|中間振り返り",
            place: Place::Whole,
            sets: BOTH,
            make: |_| Some(Label::Section),
        },
        // The initiative block
        LabelDef {
            pattern: r"(?P<n>元|[0-9]{1,2})[ \t]*(?:年度)?(?P<k>決算額|予算額)",
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
        LabelDef {
            pattern: r"当年度の取組内容",
            place: Place::Anywhere,
            sets: PLAN,
            make: |_| Some(Label::Activities),
        },
        LabelDef {
            pattern: r"プロセス指標の達成状況",
            place: Place::Anywhere,
            sets: PLAN,
            make: |_| Some(Label::ReviewAchievement),
        },
        LabelDef {
            pattern: r"プロセス\(過程\)指標】?(?:\(取組によりめざす指標\))?",
            place: Place::Anywhere,
            sets: BOTH,
            make: |_| Some(Label::Process),
        },
        LabelDef {
            pattern: r"プロセス(?:\(過程\))?指標】?(?:\(取組によりめざす指標\))?",
            place: Place::Apart,
            sets: PLAN,
            make: |_| Some(Label::Process),
        },
        LabelDef {
            pattern: r"前年度までの実績",
            place: Place::Anywhere,
            sets: PLAN,
            make: |_| Some(Label::Prior),
        },
        LabelDef {
            pattern: r"課題と改善策",
            place: Place::Anywhere,
            sets: PLAN,
            make: |_| Some(Label::ReviewIssuesImprovements),
        },
        LabelDef {
            pattern: r"戦略に対する取組の有効性",
            place: Place::Anywhere,
            sets: PLAN,
            make: |_| Some(Label::ReviewEffectiveness),
        },
        LabelDef {
            pattern: r"当年度の取組実績",
            place: Place::Anywhere,
            sets: PLAN,
            make: |_| Some(Label::ReviewResults),
        },
        LabelDef {
            pattern: r"前年度個別全体|^\(区長:[^)]*\)$",
            place: Place::Anywhere,
            sets: PLAN,
            make: |_| Some(Label::Junk),
        },
        LabelDef {
            pattern: r"主な取組項目|取組内容$|(?:令和|平成)[ \t]*(?:元|[0-9]{1,2})[ \t]*年度[^ \t]*運営方針.*(?:について|概要版)$",
            place: Place::Start,
            sets: PLAN,
            make: |_| Some(Label::Header),
        },
        LabelDef {
            pattern: r"課題(?:※[^※]*?必須)?$",
            place: Place::Apart,
            sets: PLAN,
            make: |_| Some(Label::Issues),
        },
        LabelDef {
            pattern: r"改善策(?:※[^※]*?必須)?$",
            place: Place::Apart,
            sets: PLAN,
            make: |_| Some(Label::Improvements),
        },
        // The digest's short labels
        LabelDef {
            pattern: r"具体的取組|取組内容|単年度目標|プロセス(?:\(過程\))?指標",
            place: Place::Whole,
            sets: SUMMARY,
            make: |_| Some(Label::Header),
        },
        LabelDef {
            pattern: r"アウトカム指標",
            place: Place::Whole,
            sets: SUMMARY,
            make: |_| Some(Label::ShortOutcome),
        },
        LabelDef {
            pattern: r"戦略",
            place: Place::Whole,
            sets: SUMMARY,
            make: |_| Some(Label::ShortApproach),
        },
        LabelDef {
            pattern: r"(?P<id>[0-9]+[ \t]*-[ \t]*[0-9]+[ \t]*-[ \t]*[0-9]+)】?(?:[ \t]+(?P<t>.+)|$)",
            place: Place::Start,
            sets: SUMMARY,
            make: |c| {
                Some(Label::ShortInitiative {
                    id: id_of(c, "id")?,
                    title: opt_title(c, "t"),
                })
            },
        },
        // Last: any other bracketed title, standing where a heading
        // stands (a bracket inside a sentence is the sentence's).
        LabelDef {
            pattern: r"【(?P<t>[^】0-9][^】]*)】",
            place: Place::Fallback,
            sets: BOTH,
            make: |c| Some(Label::Bracket(opt_title(c, "t")?)),
        },
    ]
}

/// A compiled catalogue for one grammar.
pub type Catalogue = Matcher<Label>;

fn build(set: Set) -> Catalogue {
    let defs = defs()
        .into_iter()
        .filter(|d| d.sets.contains(&set))
        .map(|d| Def {
            pattern: d.pattern,
            place: d.place,
            make: d.make,
        })
        .collect();
    Matcher::new(defs)
}

pub static PLAN_LABELS: LazyLock<Catalogue> = LazyLock::new(|| build(Set::Plan));
pub static SUMMARY_LABELS: LazyLock<Catalogue> = LazyLock::new(|| build(Set::Summary));

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
    fn labels_however_a_ward_prints_them() {
        assert_eq!(labels(&PLAN_LABELS, "【区の目標（何をめざすのか）】"), [Label::Goal]);
        assert_eq!(labels(&PLAN_LABELS, "区 の 目 標"), [Label::Goal]);
        assert_eq!(labels(&PLAN_LABELS, "■区　の　使　命"), [Label::Mission]);
        assert_eq!(labels(&PLAN_LABELS, "【現状】"), [Label::CurrentState]);
        assert!(labels(&PLAN_LABELS, "現状では参加者が少ない").is_empty());
        assert_eq!(labels(&PLAN_LABELS, "■様式3"), [Label::Reform]);
        assert_eq!(labels(&PLAN_LABELS, "【様式２】"), [Label::FormNo(2)]);
        assert_eq!(
            labels(&PLAN_LABELS, "【アウトカム(成果)指標】(めざす状態を数値化した指標)"),
            [Label::Outcome]
        );
        assert_eq!(
            labels(&PLAN_LABELS, "【プロセス(過程)指標】(取組によりめざす指標)"),
            [Label::Process]
        );
        assert_eq!(labels(&PLAN_LABELS, "当年度の取り組み内容"), [Label::Activities]);
        assert_eq!(labels(&PLAN_LABELS, "自 己 評 価"), [Label::Section]);
        assert_eq!(
            labels(&PLAN_LABELS, "2 決 算 額"),
            [Label::Budget {
                n: 2,
                kind: BudgetKind::Settled
            }]
        );
        assert_eq!(
            labels(&PLAN_LABELS, "〔具体的取組 ７－２－１〕"),
            [Label::Initiative {
                id: "7-2-1".into(),
                title: None
            }]
        );
        assert_eq!(
            labels(&PLAN_LABELS, "【6-1-3】"),
            [Label::MainInitiative {
                id: "6-1-3".into(),
                title: String::new()
            }]
        );
        assert_eq!(
            labels(
                &PLAN_LABELS,
                "めざす成果および戦略 〔1-1〕 【豊かなコミュニティの促進】"
            ),
            [Label::Strategy {
                id: "1-1".into(),
                title: Some("豊かなコミュニティの促進".into())
            }]
        );
        // Tolerance does not make a legend's words labels.
        assert!(labels(&PLAN_LABELS, "③:撤退・再構築基準未達成").is_empty());
        assert!(labels(&PLAN_LABELS, "—:プロセス指標未設定(未測定)").is_empty());
        assert!(labels(&PLAN_LABELS, "アウトカム指標の達成状況").contains(&Label::EvalOutcome));
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

//! The small Markdown the rule explanations use (headings, paragraphs, lists, fenced code,
//! inline code), turned into yew nodes. Never `innerHTML`: every piece of text becomes a text
//! node, so nothing in it can become markup.

use yew::prelude::*;

/// One block of an explanation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MdBlock {
    Heading(String),
    Paragraph(String),
    List(Vec<String>),
    Code { lang: String, text: String },
}

/// Splits Markdown into blocks. Headings are `#`/`##`/`###` lines; list items start with `- `
/// and continue on indented lines.
pub fn parse(markdown: &str) -> Vec<MdBlock> {
    let mut blocks = Vec::new();
    let mut paragraph: Vec<&str> = Vec::new();
    let mut list: Vec<String> = Vec::new();
    let mut lines = markdown.lines();
    fn flush(blocks: &mut Vec<MdBlock>, paragraph: &mut Vec<&str>, list: &mut Vec<String>) {
        if !paragraph.is_empty() {
            blocks.push(MdBlock::Paragraph(paragraph.join(" ")));
            paragraph.clear();
        }
        if !list.is_empty() {
            blocks.push(MdBlock::List(std::mem::take(list)));
        }
    }
    while let Some(line) = lines.next() {
        let trimmed = line.trim_start();
        if let Some(lang) = trimmed.strip_prefix("```") {
            flush(&mut blocks, &mut paragraph, &mut list);
            let mut code = Vec::new();
            for inner in lines.by_ref() {
                if inner.trim_start().starts_with("```") {
                    break;
                }
                code.push(inner);
            }
            blocks.push(MdBlock::Code { lang: lang.trim().to_string(), text: code.join("\n") });
        } else if line.trim().is_empty() {
            flush(&mut blocks, &mut paragraph, &mut list);
        } else if line.starts_with('#') {
            flush(&mut blocks, &mut paragraph, &mut list);
            blocks.push(MdBlock::Heading(line.trim_start_matches('#').trim().to_string()));
        } else if let Some(item) = trimmed.strip_prefix("- ").filter(|_| line.len() - trimmed.len() < 2) {
            if !paragraph.is_empty() {
                flush(&mut blocks, &mut paragraph, &mut list);
            }
            list.push(item.trim().to_string());
        } else if let (Some(last), true) = (list.last_mut(), line.starts_with("  ")) {
            last.push(' ');
            last.push_str(line.trim());
        } else {
            if !list.is_empty() {
                flush(&mut blocks, &mut paragraph, &mut list);
            }
            paragraph.push(line.trim());
        }
    }
    flush(&mut blocks, &mut paragraph, &mut list);
    blocks
}

/// Inline text with `code` spans as `<code>` elements.
pub fn inline(text: &str) -> Html {
    let parts = text.split('`').enumerate().map(|(i, part)| {
        if i % 2 == 1 {
            html! { <code>{ part.to_string() }</code> }
        } else {
            html! { { part.to_string() } }
        }
    });
    html! { <>{ for parts }</> }
}

/// Renders Markdown; headings become `<h{level}>` with `level` the outermost heading level to
/// use (so they nest under the page's own headings).
pub fn render(markdown: &str, level: u8) -> Html {
    let blocks = parse(markdown).into_iter().map(|block| match block {
        MdBlock::Heading(text) => match level {
            3 => html! { <h3>{ text }</h3> },
            4 => html! { <h4>{ text }</h4> },
            _ => html! { <h5>{ text }</h5> },
        },
        MdBlock::Paragraph(text) => html! { <p>{ inline(&text) }</p> },
        MdBlock::List(items) => html! { <ul>{ for items.iter().map(|i| html! { <li>{ inline(i) }</li> }) }</ul> },
        MdBlock::Code { lang, text } => html! { <pre class="code" data-lang={lang}><code>{ text }</code></pre> },
    });
    html! { <div class="markdown">{ for blocks }</div> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_explanations() {
        let blocks = parse(
            "## What it does\nFlags `apk add`\nwithout it.\n\n## Example\n```dockerfile\nRUN a\n  b\n```\n\nUse instead:\n- one\n  more\n- two\n",
        );
        assert_eq!(
            blocks,
            vec![
                MdBlock::Heading("What it does".into()),
                MdBlock::Paragraph("Flags `apk add` without it.".into()),
                MdBlock::Heading("Example".into()),
                MdBlock::Code { lang: "dockerfile".into(), text: "RUN a\n  b".into() },
                MdBlock::Paragraph("Use instead:".into()),
                MdBlock::List(vec!["one more".into(), "two".into()]),
            ]
        );
    }

    #[test]
    fn every_rule_explanation_has_its_sections() {
        for rule in dfharden_core::ALL_RULES {
            let blocks = parse(&rule.meta.explanation());
            assert!(blocks.contains(&MdBlock::Heading("Why is this bad?".into())), "{}", rule.meta.code);
        }
    }
}

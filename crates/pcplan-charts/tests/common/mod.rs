//! Test helpers: read a chart's SVG back as an element tree with a real XML parser
//! (quick-xml), failing on anything that is not well-formed, so tests can check
//! coordinates and text on the parsed elements rather than on substrings.
//!
//! The checks made while parsing: start and end tags balance and match, there is exactly
//! one root element and no text outside it, attributes are unique and their values hold
//! only the predefined entities or character references, and no character XML 1.0
//! forbids appears anywhere.

#![allow(dead_code)]

use std::collections::BTreeMap;

use quick_xml::XmlVersion;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

use pcplan_charts::{Options, Svg};

/// One element of a parsed document.
#[derive(Clone, Debug, Default)]
pub struct Element {
    pub name: String,
    pub attributes: BTreeMap<String, String>,
    pub children: Vec<Element>,
    /// The element's own text, entities resolved.
    pub text: String,
}

impl Element {
    /// The value of attribute `name`, which must be present.
    pub fn attr(&self, name: &str) -> &str {
        self.attributes.get(name).unwrap_or_else(|| panic!("<{}> has no `{name}`: {:?}", self.name, self.attributes))
    }

    /// Attribute `name` as a number.
    pub fn num(&self, name: &str) -> f64 {
        let value = self.attr(name);
        value.parse().unwrap_or_else(|e| panic!("<{}> `{name}` = `{value}` is not a number: {e}", self.name))
    }

    /// This element and every element inside it, in document order.
    pub fn descendants(&self) -> Vec<&Element> {
        let mut all = vec![self];
        for child in &self.children {
            all.extend(child.descendants());
        }
        all
    }

    /// Every element named `name` inside this one (or this one).
    pub fn all(&self, name: &str) -> Vec<&Element> {
        self.descendants().into_iter().filter(|e| e.name == name).collect()
    }

    /// Every `<g>` whose class is `class`.
    pub fn groups(&self, class: &str) -> Vec<&Element> {
        self.all("g").into_iter().filter(|g| g.attributes.get("class").map(String::as_str) == Some(class)).collect()
    }

    /// The one `<g>` whose class is `class`.
    pub fn group(&self, class: &str) -> &Element {
        let groups = self.groups(class);
        assert_eq!(groups.len(), 1, "expected one group `{class}`, found {}", groups.len());
        groups[0]
    }

    /// The text of every `<text>` inside this element.
    pub fn texts(&self) -> Vec<String> {
        self.all("text").into_iter().map(|t| t.text.clone()).collect()
    }
}

/// Parses `xml`, panicking with the position and reason if it is not well-formed.
pub fn parse(xml: &str) -> Element {
    if let Some((at, c)) = xml.char_indices().find(|(_, c)| !allowed_in_xml(*c)) {
        panic!("character {c:?} at byte {at} is not allowed in XML");
    }
    let mut reader = Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<Element> = Vec::new();
    let mut root: Option<Element> = None;
    loop {
        let position = reader.buffer_position();
        let event = reader.read_event().unwrap_or_else(|e| panic!("not well-formed at byte {position}: {e}"));
        match event {
            Event::Start(start) => stack.push(element(&start)),
            Event::Empty(start) => attach(element(&start), &mut stack, &mut root),
            Event::End(_) => {
                let done = stack.pop().unwrap_or_else(|| panic!("end tag without a start at byte {position}"));
                attach(done, &mut stack, &mut root);
            }
            Event::Text(text) => {
                push_text(&mut stack, &text, position);
            }
            Event::GeneralRef(reference) => {
                let resolved = if reference.is_char_ref() {
                    let c = reference.resolve_char_ref().unwrap_or_else(|e| panic!("bad reference at {position}: {e}"));
                    c.map(String::from).unwrap_or_else(|| panic!("empty character reference at byte {position}"))
                } else {
                    let name = reference.xml_content(XmlVersion::Implicit1_0);
                    resolve_predefined_entity(&name)
                        .unwrap_or_else(|| panic!("unknown entity `&{name};` at byte {position}"))
                        .to_string()
                };
                push_text(&mut stack, &resolved, position);
            }
            Event::CData(_) | Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {
                panic!("unexpected markup at byte {position}: charts write elements and text only")
            }
            Event::Eof => break,
        }
    }
    assert!(stack.is_empty(), "unclosed element <{}>", stack.last().map(|e| e.name.as_str()).unwrap_or_default());
    root.expect("the document has a root element")
}

fn element(start: &BytesStart<'_>) -> Element {
    let name = start.name().as_ref().to_string();
    let mut attributes = BTreeMap::new();
    for attribute in start.attributes() {
        let attribute = attribute.unwrap_or_else(|e| panic!("bad attribute on <{name}>: {e}"));
        let key = attribute.key.as_ref().to_string();
        let value = attribute
            .normalized_value(XmlVersion::Implicit1_0)
            .unwrap_or_else(|e| panic!("bad value of `{key}` on <{name}>: {e}"))
            .into_owned();
        assert!(attributes.insert(key.clone(), value).is_none(), "`{key}` twice on <{name}>");
    }
    Element { name, attributes, children: Vec::new(), text: String::new() }
}

fn attach(done: Element, stack: &mut [Element], root: &mut Option<Element>) {
    match stack.last_mut() {
        Some(parent) => parent.children.push(done),
        None => {
            assert!(root.is_none(), "a second root element <{}>", done.name);
            *root = Some(done);
        }
    }
}

fn push_text(stack: &mut [Element], text: &str, position: u64) {
    match stack.last_mut() {
        Some(current) => current.text.push_str(text),
        None => assert!(text.trim().is_empty(), "text outside the root element at byte {position}: {text:?}"),
    }
}

fn allowed_in_xml(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}')
}

/// Text no chart may pass through unescaped: markup, a CDATA end, an entity, quotes and
/// control characters XML forbids.
pub const HOSTILE: &str = "<script>alert('x')</script> \"]]> &amp; &nbsp; \u{0}\u{1b}";

/// What [`HOSTILE`] must read as once parsed back: the same text, less the control
/// characters XML cannot carry.
pub const HOSTILE_PARSED: &str = "<script>alert('x')</script> \"]]> &amp; &nbsp; ";

/// Parses a rendered chart and checks what every chart must have: the root `<svg>` with
/// `role="img"`, labelled by its `<title>` and `<desc>` by id.
pub fn parse_chart(rendered: &Svg, options: &Options) -> Element {
    let root = parse(&rendered.svg);
    assert_eq!(root.name, "svg");
    assert_eq!(root.attr("xmlns"), "http://www.w3.org/2000/svg");
    assert_eq!(root.attr("role"), "img");
    let id = root.attr("id").to_string();
    assert_eq!(root.attr("aria-labelledby"), format!("{id}-title {id}-desc"));
    assert_eq!(root.attr("font-family"), options.font_family);
    let title = &root.children[0];
    assert_eq!((title.name.as_str(), title.attr("id")), ("title", format!("{id}-title").as_str()));
    let desc = &root.children[1];
    assert_eq!((desc.name.as_str(), desc.attr("id")), ("desc", format!("{id}-desc").as_str()));
    let summary: String = rendered.summary.chars().filter(|c| allowed_in_xml(*c)).collect();
    assert_eq!(desc.text, summary);
    assert!(!rendered.svg.contains("NaN"), "{}", rendered.svg);
    assert_coordinates_rounded(&rendered.svg);
    for text in root.all("text") {
        assert!(text.num("font-size") >= 14.0, "text smaller than 14: {text:?}");
    }
    root
}

/// Every number in the SVG's coordinates has at most one decimal place.
pub fn assert_coordinates_rounded(svg: &str) {
    let root = parse(svg);
    for element in root.descendants() {
        for (key, value) in &element.attributes {
            if !["x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "width", "height", "points"].contains(&key.as_str())
            {
                continue;
            }
            for number in value.split([' ', ',']).filter(|n| !n.is_empty()) {
                let decimals = number.split_once('.').map(|(_, d)| d.len()).unwrap_or(0);
                assert!(decimals <= 1, "<{}> {key}=\"{value}\" has more than one decimal place", element.name);
                assert!(number.parse::<f64>().is_ok_and(f64::is_finite), "<{}> {key}=\"{value}\"", element.name);
            }
        }
    }
}

/// The `(x, y)` pairs of a `points` attribute.
pub fn coordinates(element: &Element) -> Vec<(f64, f64)> {
    element
        .attr("points")
        .split(' ')
        .map(|pair| {
            let (x, y) = pair.split_once(',').unwrap_or_else(|| panic!("`{pair}` is not x,y"));
            (x.parse().expect("x is a number"), y.parse().expect("y is a number"))
        })
        .collect()
}

//! brum patch (PATCHED.md section 13): `DomParser`'s result for a page that
//! is plainly well-formed HTML, read in one pass over its text without
//! lol_html.
//!
//! lol_html is a streaming rewriter: per element it runs its selector
//! machine, builds an element with owned attributes and calls boxed
//! handlers, and `DomParser` keeps a `Rc<RefCell>` node per element whose
//! text is copied into its parent's at every level. For a generated page
//! that is most of the work of indexing it. Here the page is tokenized
//! directly, the nodes are a stack, and every node's text is a tail of one
//! buffer: a node's text ends where its first child's begins, so closing a
//! node leaves its text in place as the end of its parent's.
//!
//! It reads only what it can read exactly as lol_html does, and gives up
//! (`None`) on anything else, so that the caller runs `DomParser` instead:
//! markup that is not plainly well formed (an end tag that does not close
//! the open element, an element left open, `<div/>`, a `<` that does not
//! open a tag, attribute syntax errors), the elements whose content is
//! tokenized in ways of their own (`math`, `noscript`, `iframe`, `textarea`
//! and the like; `script` and `style` are read when they hold no `<!--`;
//! `svg` when it holds only shapes), NUL, and options other than the
//! default root and exclusions. What it does with what it reads is
//! `DomParser`'s element and text handlers, step for step; the tests below
//! compare the two.

use std::borrow::Cow;

use super::{
    collect, finish, ignore_status, note_bundle_reference, normalize_content, parse_attr_string,
    DomParserData, DomParserResult, NodeStatus, PagefindAttributes, ALL_SPACES, INLINE_SELECTORS,
    REMOVE_SELECTORS, SENTENCE_CHARS, SENTENCE_SELECTORS, SPACE_SELECTORS,
};
use crate::SearchOptions;

/// The elements with no end tag, as lol_html lists them.
const VOID: &[&str] = &[
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "hr", "img", "input", "keygen",
    "link", "meta", "param", "source", "track", "wbr",
];

/// Elements whose content the tokenizer reads in a state of its own, or
/// whose self-closing syntax means something (foreign content).
const NOT_READ: &[&str] = &[
    "math", "noscript", "iframe", "noembed", "noframes", "xmp", "plaintext", "textarea",
];

/// The SVG elements read inside an `svg`: shapes and their containers, none
/// of which takes the tokenizer out of SVG (as `p` or `div` would) or back
/// into HTML (as `foreignObject`, `desc` and `title` do).
const SVG: &[&str] = &[
    "g", "path", "circle", "rect", "line", "polyline", "polygon", "ellipse", "use", "defs",
    "symbol", "stop", "lineargradient", "radialgradient", "clippath", "mask", "pattern",
];

/// Elements whose content is text up to their end tag.
const RAW_TEXT: &[&str] = &["script", "style", "title"];

/// `DomParser`'s result for `html`, or `None` when the page is not one
/// this reader reads exactly as lol_html does.
pub(super) fn parse(html: &str, options: &SearchOptions) -> Option<DomParserResult> {
    if options.root_selector != "html" || !options.exclude_selectors.is_empty() {
        return None;
    }
    if memchr::memchr(0, html.as_bytes()).is_some() {
        return None;
    }
    let mut reader = Reader {
        html,
        at: 0,
        options,
        data: DomParserData::default(),
        text: String::with_capacity(html.len() / 2),
        stack: vec![Node::root()],
        attrs: Vec::new(),
        anchor_counter: 0,
        svg: None,
    };
    reader.prolog()?;
    reader.document()?;
    reader.epilog()?;
    let root = reader.stack.pop()?;
    Some(finish(reader.data, &reader.text, root.status))
}

/// An open element: `DomParsingNode`, with its text as a range of the
/// buffer instead of a string of its own.
struct Node<'h> {
    tag: Cow<'h, str>,
    /// Where the node's prefix begins in the buffer: the weight marker and
    /// the sentence space `DomParser` puts before its text when it closes,
    /// written here when it opens, and dropped with the text if it is not kept.
    outer: usize,
    /// Where its own text (`current_value`) begins.
    inner: usize,
    status: NodeStatus,
    sentence: bool,
    weighted: bool,
    filter: Option<Vec<String>>,
    sort: Option<Vec<String>>,
    meta: Option<Vec<String>>,
    default_meta: Option<Vec<String>>,
    anchor_ids: Option<Vec<String>>,
}

impl Node<'_> {
    fn root() -> Self {
        Node {
            tag: Cow::Borrowed(""),
            outer: 0,
            inner: 0,
            status: NodeStatus::Indexing,
            sentence: false,
            weighted: false,
            filter: None,
            sort: None,
            meta: None,
            default_meta: None,
            anchor_ids: None,
        }
    }
}

struct Reader<'h, 'o> {
    html: &'h str,
    at: usize,
    options: &'o SearchOptions,
    data: DomParserData,
    /// The text of every open node, the root's first.
    text: String,
    /// The open nodes; the root (outside `<html>`) at the bottom.
    stack: Vec<Node<'h>>,
    /// The current start tag's attributes: lowercase name, raw value.
    attrs: Vec<(Cow<'h, str>, &'h str)>,
    anchor_counter: usize,
    /// Inside an `svg`: where its node is on the stack.
    svg: Option<usize>,
}

impl<'h> Reader<'h, '_> {
    fn rest(&self) -> &'h [u8] {
        &self.html.as_bytes()[self.at..]
    }

    fn skip_whitespace(&mut self) {
        let skipped = self.rest().iter().take_while(|b| is_space(**b)).count();
        self.at += skipped;
    }

    /// Whitespace, a doctype and comments, up to `<html`.
    fn prolog(&mut self) -> Option<()> {
        loop {
            self.skip_whitespace();
            let rest = self.rest();
            if rest.len() >= 9 && rest[..9].eq_ignore_ascii_case(b"<!doctype") {
                let end = rest.iter().position(|b| *b == b'>')?;
                if rest[1..end].iter().any(|b| matches!(b, b'<' | b'"' | b'\'')) {
                    return None;
                }
                self.at += end + 1;
            } else if rest.starts_with(b"<!--") {
                self.comment()?;
            } else {
                let html = rest.len() > 5
                    && rest[..5].eq_ignore_ascii_case(b"<html")
                    && (matches!(rest[5], b'>' | b'/') || is_space(rest[5]));
                return html.then_some(());
            }
        }
    }

    /// The `html` element, from its start tag to its end tag.
    fn document(&mut self) -> Option<()> {
        self.markup()?;
        while self.stack.len() > 1 {
            let lt = memchr::memchr(b'<', self.rest())?;
            if lt > 0 {
                self.text_chunk(self.at, self.at + lt);
            }
            self.at += lt;
            self.markup()?;
        }
        Some(())
    }

    /// After `</html>`: whitespace and comments, which lol_html gives no
    /// handler (the text handler is the root's).
    fn epilog(&mut self) -> Option<()> {
        loop {
            self.skip_whitespace();
            if self.rest().is_empty() {
                return Some(());
            }
            if !self.rest().starts_with(b"<!--") {
                return None;
            }
            self.comment()?;
        }
    }

    /// A tag or comment at `<`.
    fn markup(&mut self) -> Option<()> {
        let rest = self.rest();
        if rest.starts_with(b"<!--") {
            self.comment()
        } else if rest.starts_with(b"</") {
            self.end_tag()
        } else if rest.get(1).is_some_and(u8::is_ascii_alphabetic) {
            self.start_tag()
        } else {
            None
        }
    }

    fn comment(&mut self) -> Option<()> {
        let body = &self.html[self.at + 4..];
        // `<!-->`, `<!--->` and `--!>` end a comment early.
        if body.starts_with('>') || body.starts_with("->") {
            return None;
        }
        let end = body.find("-->")?;
        if body[..end].contains("--!>") {
            return None;
        }
        self.at += 4 + end + 3;
        Some(())
    }

    /// A tag name at `at`: ASCII letters, digits and `-`, lowercased.
    fn tag_name(&mut self) -> Option<Cow<'h, str>> {
        let rest = self.rest();
        let len = rest
            .iter()
            .position(|b| is_space(*b) || matches!(b, b'/' | b'>'))?;
        let name = &self.html[self.at..self.at + len];
        if len == 0 || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
            return None;
        }
        self.at += len;
        Some(lowercase(name))
    }

    fn end_tag(&mut self) -> Option<()> {
        self.at += 2;
        if !self.rest().first()?.is_ascii_alphabetic() {
            return None;
        }
        let name = self.tag_name()?;
        self.skip_whitespace();
        if self.rest().first() != Some(&b'>') {
            return None;
        }
        self.at += 1;
        if self.stack.len() < 2 || self.stack.last()?.tag != name {
            return None;
        }
        self.close();
        if self.svg == Some(self.stack.len()) {
            self.svg = None;
        }
        Some(())
    }

    fn start_tag(&mut self) -> Option<()> {
        self.at += 1;
        let name = self.tag_name()?;
        self.attrs.clear();
        let self_closing = loop {
            self.skip_whitespace();
            match self.rest() {
                [b'>', ..] => {
                    self.at += 1;
                    break false;
                }
                [b'/', b'>', ..] => {
                    self.at += 2;
                    break true;
                }
                [b'/', ..] | [] => return None,
                _ => self.attribute()?,
            }
        };
        // In SVG an element has no end tag when its start tag closes itself.
        if self.svg.is_some() {
            if !SVG.contains(&&*name) {
                return None;
            }
            return self.element(name, self_closing);
        }
        if name == "svg" {
            // `<svg/>` leaves lol_html in SVG until a tag that ends it.
            if self_closing {
                return None;
            }
            self.element(name, false)?;
            self.svg = Some(self.stack.len() - 1);
            return Some(());
        }
        let void = VOID.contains(&&*name);
        if (self_closing && !void) || NOT_READ.contains(&&*name) {
            return None;
        }
        self.element(name, void)
    }

    /// One attribute of a start tag, into `attrs`.
    fn attribute(&mut self) -> Option<()> {
        let rest = self.rest();
        let len = rest
            .iter()
            .position(|b| is_space(*b) || matches!(b, b'/' | b'>' | b'='))?;
        let name = &self.html[self.at..self.at + len];
        if len == 0 || name.bytes().any(|b| !b.is_ascii() || matches!(b, b'"' | b'\'' | b'<')) {
            return None;
        }
        self.at += len;
        self.skip_whitespace();
        let value = if self.rest().first() == Some(&b'=') {
            self.at += 1;
            self.skip_whitespace();
            self.attribute_value()?
        } else {
            ""
        };
        self.attrs.push((lowercase(name), value));
        Some(())
    }

    fn attribute_value(&mut self) -> Option<&'h str> {
        let rest = self.rest();
        match *rest.first()? {
            quote @ (b'"' | b'\'') => {
                let len = memchr::memchr(quote, &rest[1..])?;
                let value = &self.html[self.at + 1..self.at + 1 + len];
                self.at += len + 2;
                // The next attribute must be set apart by whitespace.
                let next = *self.rest().first()?;
                (is_space(next) || matches!(next, b'/' | b'>')).then_some(value)
            }
            b'>' => None,
            _ => {
                let len = rest.iter().position(|b| is_space(*b) || *b == b'>')?;
                let value = &self.html[self.at..self.at + len];
                if value.bytes().any(|b| matches!(b, b'"' | b'\'' | b'<' | b'=' | b'`')) {
                    return None;
                }
                self.at += len;
                Some(value)
            }
        }
    }

    /// The handlers lol_html runs on a start tag, in their order: the
    /// `html` element's, the root's, then `script, link`'s.
    fn element(&mut self, tag: Cow<'h, str>, void: bool) -> Option<()> {
        if tag == "html" {
            self.data.has_html_element = true;
            if let Some(lang) = lookup(&self.attrs, "lang") {
                self.data.language = Some(lang.to_lowercase());
            }
        }
        self.open(tag.clone(), void);
        note_bundle_reference(&mut self.data, &tag, &|name| lookup(&self.attrs, name));
        if RAW_TEXT.contains(&&*tag) {
            self.raw_text(&tag)?;
        }
        Some(())
    }

    /// The content of a `script`, `style` or `title`: text up to the first
    /// `</tag` that ends a tag name. A `<!--` in it could make a script's
    /// end tag part of its text, so that is left to lol_html.
    fn raw_text(&mut self, tag: &str) -> Option<()> {
        let rest = &self.html[self.at..];
        let mut from = 0;
        let len = loop {
            let lt = from + rest[from..].find("</")?;
            let after = rest.as_bytes().get(lt + 2..lt + 2 + tag.len())?;
            let next = *rest.as_bytes().get(lt + 2 + tag.len())?;
            if after.eq_ignore_ascii_case(tag.as_bytes()) && (is_space(next) || matches!(next, b'/' | b'>')) {
                break lt;
            }
            from = lt + 2;
        };
        if tag != "title" && rest[..len].contains("<!--") {
            return None;
        }
        if len > 0 {
            self.text_chunk(self.at, self.at + len);
        }
        self.at += len;
        Some(())
    }

    /// `DomParser`'s text handler: into the current node's text, and into
    /// the text of the anchors it is part of.
    fn text_chunk(&mut self, from: usize, to: usize) {
        let chunk = &self.html[from..to];
        self.text.push_str(chunk);
        let Some(node) = self.stack.last() else { return };
        if matches!(node.status, NodeStatus::Ignored | NodeStatus::Excluded) {
            return;
        }
        for anchor_id in node.anchor_ids.iter().flatten() {
            match self.data.anchor_content.get_mut(anchor_id) {
                Some(text) => text.push_str(chunk),
                None => {
                    self.data.anchor_content.insert(anchor_id.clone(), chunk.to_owned());
                }
            }
        }
    }

    /// `DomParser`'s root handler on a start tag.
    fn open(&mut self, tag: Cow<'h, str>, void: bool) {
        let mut attrs = PagefindAttributes::default();
        for (name, value) in &self.attrs {
            attrs.take(name, || (*value).to_owned());
        }
        let attributes = &self.attrs;
        let get = |name: &str| lookup(attributes, name);
        let explicit_ignore_flag = attrs.ignore.map(|attr| ignore_status(&attr, self.options));
        let filter = attrs.filter.map(|attr| parse_attr_string(attr, &get));
        let element_id = attrs.id.map(|e| ALL_SPACES.replace_all(&e, "").to_string());
        let pagefind_title = attrs
            .title
            .map(|title| normalize_content(&title))
            .filter(|title| !title.is_empty());
        let meta = attrs.meta.map(|attr| parse_attr_string(attr, &get));
        let default_meta = attrs.default_meta.map(|attr| parse_attr_string(attr, &get));
        let sort = attrs.sort.map(|attr| parse_attr_string(attr, &get));
        let index_attrs: Option<Vec<String>> = attrs
            .index_attrs
            .map(|attr| attr.split(',').map(|a| a.trim().to_string()).collect());
        let removed = REMOVE_SELECTORS.contains(&&*tag);
        let has_end_tag = !void;

        let status = if attrs.body {
            NodeStatus::Body
        } else {
            explicit_ignore_flag.unwrap_or(NodeStatus::Indexing)
        };

        let anchor_id = self.anchor(&tag, status, element_id);
        if let (Some(anchor_id), Some(title)) = (&anchor_id, pagefind_title) {
            self.data.anchor_titles.insert(anchor_id.clone(), title);
        }

        if status != NodeStatus::Excluded {
            for attr in index_attrs.into_iter().flatten() {
                let mut value = lookup(&self.attrs, attr.trim()).unwrap_or_default();
                if ends_sentence(&value) {
                    value.push('.');
                }
                self.text.push(' ');
                self.text.push_str(&value);
                self.text.push(' ');
            }
            if SPACE_SELECTORS.contains(&&*tag) {
                self.text.push(' ');
            }
        }

        let parent = self.stack.last().expect("the root is never closed");
        let mut anchor_ids = match &parent.anchor_ids {
            Some(ids) if INLINE_SELECTORS.contains(&&*tag) => Some(ids.clone()),
            _ => None,
        };
        if let Some(id) = anchor_id {
            anchor_ids.get_or_insert_with(Vec::new).push(id);
        }
        let mut node = Node {
            status: match parent.status {
                _ if removed && has_end_tag => NodeStatus::Ignored,
                NodeStatus::Excluded => NodeStatus::Excluded,
                _ => status,
            },
            filter,
            meta,
            default_meta,
            sort,
            anchor_ids,
            ..Node::root()
        };
        if has_end_tag {
            self.push(node, tag, attrs.weight);
            return;
        }
        // An element with no end tag is done at once.
        if removed {
            self.current().status = NodeStatus::Ignored;
        }
        if node.status == NodeStatus::Excluded {
            return;
        }
        node.tag = tag;
        collect(&mut self.data, [&node.filter, &node.sort, &node.meta, &node.default_meta], "");
        if node.tag == "img"
            && !self.data.meta.contains_key("auto_image")
            && (self.data.meta.contains_key("auto_title") || self.data.meta.contains_key("title"))
        {
            if let Some(src) = lookup(&self.attrs, "src") {
                self.data.meta.insert("auto_image".into(), normalize_content(&src));
                if let Some(alt) = lookup(&self.attrs, "alt") {
                    self.data.meta.insert("auto_image_alt".into(), normalize_content(&alt));
                }
            }
        }
    }

    /// The marker of an element with an id, in its parent's text.
    fn anchor(&mut self, tag: &str, status: NodeStatus, element_id: Option<String>) -> Option<String> {
        if matches!(status, NodeStatus::Excluded | NodeStatus::Ignored) {
            return None;
        }
        let element_id = element_id?;
        let parent = self.stack.last()?;
        if parent.status == NodeStatus::ParentOfBody
            && status != NodeStatus::Body
            && status != NodeStatus::ParentOfBody
        {
            return None;
        }
        let counter = self.anchor_counter;
        self.text
            .push_str(&format!(" ___PAGEFIND_ANCHOR___{tag}:{counter}:{element_id} "));
        self.anchor_counter += 1;
        Some(format!("{counter}:{element_id}"))
    }

    /// Opens `node`, writing the prefix `DomParser` would put before its
    /// text when it closes: the weight marker, then a sentence's space.
    fn push(&mut self, mut node: Node<'h>, tag: Cow<'h, str>, weight: Option<String>) {
        node.outer = self.text.len();
        let auto_weight = match &*tag {
            "h1" => Some("7"),
            "h2" => Some("6"),
            "h3" => Some("5"),
            "h4" => Some("4"),
            "h5" => Some("3"),
            "h6" => Some("2"),
            _ => None,
        };
        if let Some(weight) = &weight {
            self.text.push_str(" ___PAGEFIND_WEIGHT___");
            self.text.push_str(weight);
            self.text.push(' ');
            node.weighted = true;
        } else if let Some(weight) = auto_weight {
            self.text.push_str(" ___PAGEFIND_AUTO_WEIGHT___");
            self.text.push_str(weight);
            self.text.push(' ');
            node.weighted = true;
        }
        node.sentence = SENTENCE_SELECTORS.contains(&&*tag);
        if node.sentence {
            self.text.push(' ');
        }
        node.inner = self.text.len();
        node.tag = tag;
        self.stack.push(node);
    }

    fn current(&mut self) -> &mut Node<'h> {
        self.stack.last_mut().expect("the root is never closed")
    }

    /// `DomParser`'s end tag handler, on the current node.
    fn close(&mut self) {
        let node = self.stack.pop().expect("end_tag checked there is one");
        if node.status == NodeStatus::Excluded {
            self.text.truncate(node.outer);
            return;
        }
        let value = &self.text[node.inner..];
        collect(&mut self.data, [&node.filter, &node.sort, &node.meta, &node.default_meta], value);
        if node.tag == "h1" && !self.data.meta.contains_key("auto_title") && !value.trim().is_empty() {
            self.data.meta.insert("auto_title".into(), normalize_content(value));
        }
        if node.tag == "title" && !self.data.meta.contains_key("auto_page_title") {
            self.data.meta.insert("auto_page_title".into(), normalize_content(value));
        }
        if node.status == NodeStatus::Ignored {
            self.text.truncate(node.outer);
            return;
        }
        if node.sentence {
            // The prefix ends in a space: as `DomParser` looks at its text
            // after putting the space before it.
            if ends_sentence(&self.text[node.outer..]) {
                self.text.push('.');
            }
            self.text.push(' ');
        }
        if node.weighted {
            self.text.push_str(" ___END_PAGEFIND_WEIGHT___ ");
        }
        let body = matches!(node.status, NodeStatus::Body | NodeStatus::ParentOfBody);
        let parent = self.stack.last_mut().expect("the root is never closed");
        if parent.status == NodeStatus::ParentOfBody && !body {
            self.text.truncate(node.outer);
        } else if body {
            if parent.status != NodeStatus::ParentOfBody {
                self.text.drain(parent.inner..node.outer);
            }
            parent.status = NodeStatus::ParentOfBody;
        }
    }
}

/// Whether `DomParser` ends this text with a full stop: its last character
/// is one a sentence ends on.
fn ends_sentence(text: &str) -> bool {
    match text.chars().last() {
        // `[\w'"\)\$\*]`, without the regex for ASCII.
        Some(c) if c.is_ascii() => c.is_ascii_alphanumeric() || "_'\")$*".contains(c),
        Some(c) => SENTENCE_CHARS.is_match(c.encode_utf8(&mut [0; 4])),
        None => false,
    }
}

/// `Element::get_attribute`: the first attribute of that name, compared
/// without ASCII case.
fn lookup(attrs: &[(Cow<str>, &str)], name: &str) -> Option<String> {
    attrs
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, value)| (*value).to_owned())
}

/// Whitespace between a tag's parts. lol_html keeps CR as it is rather than
/// turning it into LF first, as a browser does, and takes it for whitespace.
fn is_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ')
}

fn lowercase(name: &str) -> Cow<'_, str> {
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(name.to_ascii_lowercase())
    } else {
        Cow::Borrowed(name)
    }
}

#[cfg(test)]
mod tests {
    use super::super::DomParser;
    use super::*;

    fn options() -> SearchOptions {
        use clap::CommandFactory;
        let args = vec![twelf::Layer::Clap(
            crate::PagefindInboundConfig::command().get_matches_from(vec![
                "pagefind",
                "--source",
                "not_important",
            ]),
        )];
        SearchOptions::load(crate::PagefindInboundConfig::with_layers(&args).unwrap()).unwrap()
    }

    /// What lol_html and `DomParser` make of `html`, fed in small pieces
    /// as upstream feeds it.
    fn upstream(html: &str, options: &SearchOptions) -> String {
        let mut parser = DomParser::new(options);
        for piece in html.as_bytes().chunks(7) {
            parser.write(piece).unwrap();
        }
        format!("{:?}", parser.wrap())
    }

    /// Whether this reader read `html`; when it did, its result must be
    /// upstream's to the last byte.
    fn same_or_declined(html: &str, options: &SearchOptions) -> bool {
        match parse(html, options) {
            Some(result) => {
                assert_eq!(format!("{result:?}"), upstream(html, options), "for {html:?}");
                true
            }
            None => false,
        }
    }

    fn page(body: &str) -> String {
        format!("<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<title>The page &amp; its title</title>\n</head>\n<body>\n{body}\n</body>\n</html>\n")
    }

    #[test]
    fn reads_what_upstream_reads() {
        let options = options();
        let bodies = [
            "<p>Weight one</p><p data-pagefind-weight='2'>Weight two</p>",
            "<p>Sentence one</p><br id='break' /><p id='pid'>Sentence two</p>",
            "<section id='usage' data-pagefind-title='Installation &amp; Usage'><h2>Installation and usage</h2></section>",
            "<p>Sentences should have periods</p><p>Unless one exists.</p><div>Or it ends with punctuation:</div><article>Except for 'quotes'</article>",
            "<p>Inline tags like <span>span</span> and <b>bold</b> shouldn't have periods</p><p>And should n<i>o</i>t add any space.</p>",
            "<p>Elements like:</p><form>Should <b>not</b> be indexed</form><p>forms</p><div> As well as <div data-pagefind-ignore=''>Manually ignored <p>Elements</p></div>*crickets*</div>",
            "<div data-pagefind-meta='type:post'></div><h1 data-pagefind-meta='headline'>Hello World</h1><div>This post is <span data-pagefind-meta='adj'>hella</span> good.</div><img data-pagefind-meta='hero[src]' src='/huzzah.png'>",
            "<h1>Hello World</h1><img src='/cat.png?width=400&amp;format=webp' alt='Cat &amp; dog'>",
            "<img data-pagefind-meta='cat[src], cat-alt[alt]' src='/cat.png' alt='cat pic'><h1 class='why?' data-pagefind-meta='headline, classname[class]'>Hello World</h1><div data-pagefind-meta='self[data-pagefind-meta], type:post'></div>",
            "<nav>Menu</nav><main data-pagefind-body><h1 id='top'>Title <em>here</em></h1><p>Body &amp;amp; text</p></main><footer>Foot</footer> trailing",
            "<main data-pagefind-body>One</main><p>between</p><aside data-pagefind-body>Two</aside>",
            "<div data-pagefind-body><div data-pagefind-body>inner</div> outer</div>",
            "<div data-pagefind-ignore='all' data-pagefind-filter='gone'>x</div><div data-pagefind-ignore='bogus'>y</div><div data-pagefind-ignore='INDEX' data-pagefind-filter='kept'>z</div>",
            "<p data-pagefind-filter='tag:a, tag:b' data-pagefind-sort='date:2024' data-pagefind-default-meta='image:/d.png'>F</p><p data-pagefind-filter='colour'>&lt;red&gt; &amp;amp;</p>",
            "<img data-pagefind-index-attrs='alt, title' alt='A photo' title='of the canal!'><p>and <a id='l' href='#'>a link <b>bold</b></a></p>",
            "<H2 ID='Upper Case' Data-Pagefind-Weight=3>Shouting</H2><P CLASS=x>unquoted <A HREF=/a/b/>link</A></P>",
            "<!-- a comment --><p>after<!-- inside --> it</p><script src='/pagefind/pagefind-ui.js'></script><link rel=stylesheet href='/_pagefind/x.css'>",
            "<script>var a = '</div>'; if (a < b) {}</script><style>p > a { color: red }</style><p>styled</p>",
            "<label>Search</label><template><p>t</p></template><p>kept</p><h3 data-pagefind-ignore>skip<h4 id='x'>deep</h4></h3>",
            "<ul><li>one</li><li>two<ul><li id='n'>nested</li></ul></li></ul><table><tr><td>cell</td><td>cell two</td></tr></table>",
            "<p>caf\u{e9} na\u{ef}ve \u{2014} \u{201c}quotes\u{201d}\u{a0}and&nbsp;spaces</p><p>tab\there\u{b}</p>",
            "<div id='a b\u{2003}c'><span data-pagefind-title='  '>t</span></div>",
            "<h1></h1><h1>   </h1><h1>Second</h1><img src='/late.png'>",
            "<p>line one\r\nline two\r</p>\r\n<h2\r\nid='a\rb'\r\ndata-pagefind-meta='m:x\r\ny'>T\r</h2><img\ralt='a\r\nb' data-pagefind-index-attrs=alt>",
            "<script>\r\nvar a;\r\n</script\r>\r\n<p title=\"t\r\">x</p>",
            "<p>Done <svg class=\"icon\" viewBox=\"0 0 16 16\" aria-hidden=\"true\"><circle cx=\"8\" r=\"7\"/><path d=\"M4.5 8.3l2.3\" fill=\"none\"/></svg> today</p>",
            "<svg id='s'><g id='g'><linearGradient id=lg><stop offset=0 /></linearGradient><rect data-pagefind-meta='shape:rect'></rect>text</g></svg><p id='after'>after</p>",
        ];
        for body in bodies {
            assert!(same_or_declined(&page(body), &options), "declined {body:?}");
        }
    }

    #[test]
    fn leaves_to_lol_html_what_it_does_not_read_as_lol_html_does() {
        let options = options();
        let bodies = [
            "<div/>", "<p>unclosed", "<p><b>crossed</p></b>", "</p>", "<svg/><a/>", "<svg><p>x</p></svg>",
            "<svg><title>t</title></svg>", "<svg><foreignObject><p>x</p></foreignObject></svg>", "<svg><path>",
            "a < b", "<!-->", "<!--->", "<script><!-- x --></script>", "<p a='1'b='2'>x</p>",
            "<p a=>x</p>", "<p a=b\"c>x</p>", "<textarea>x</textarea>", "<noscript>x</noscript>",
            "<p/ >x</p>", "<p>x</p/>", "<?php ?>", "<br></br>",
        ];
        for body in bodies {
            let html = page(body);
            assert!(!same_or_declined(&html, &options), "read {body:?}");
            upstream(&html, &options);
        }
        assert!(parse("<p>no html element</p>", &options).is_none());
        assert!(parse("<html><body></body></html><p>after</p>", &options).is_none());
    }

    #[test]
    fn ends_sentence_is_upstream_s_regex() {
        let chars = (0u32..0x3000).filter_map(char::from_u32);
        for c in chars {
            let text = format!("a {c}");
            let regex = SENTENCE_CHARS.is_match(c.encode_utf8(&mut [0; 4]));
            assert_eq!(ends_sentence(&text), regex, "{c:?}");
        }
        assert!(!ends_sentence(""));
    }

    /// Documents made at random from pieces of markup Pagefind cares about:
    /// every one this reader reads must come out as upstream's.
    #[test]
    fn random_documents_come_out_as_upstream_s() {
        const TAGS: &[&str] = &[
            "p", "div", "span", "a", "b", "h1", "h2", "h5", "li", "section", "article", "main",
            "nav", "footer", "form", "label", "td", "em", "title", "script", "body", "html",
        ];
        const VOIDS: &[&str] = &["img", "br", "hr", "input", "meta", "link"];
        const ATTRS: &[&str] = &[
            "id='x y'", "id=top", "data-pagefind-body", "data-pagefind-ignore",
            "data-pagefind-ignore='all'", "data-pagefind-ignore=index",
            "data-pagefind-weight='2.5'", "data-pagefind-meta='m, lit:A &amp; B, alt[alt]'",
            "data-pagefind-filter='f'", "data-pagefind-filter='g:one, src[src]'",
            "data-pagefind-sort='s'", "data-pagefind-default-meta='d, title:Default'",
            "data-pagefind-index-attrs='alt,title'", "data-pagefind-title='Part &amp; parcel'",
            "alt='An alt!'", "title=\"T's\"", "src='/i.png'", "lang='CY'", "class=k",
            "href='/pagefind/pagefind-ui.css'", "src=\"/_pagefind/old.js\"", "ID=Caps",
        ];
        const TEXTS: &[&str] = &[
            "word", "Birmingham's", "end.", "end!", "\"quoted\"", " ", "\n  ", "&amp;", "&nbsp;",
            "caf\u{e9}", "(aside)", "$5", "two words", "<!-- c -->", "&lt;tag&gt;", "\r\n", "a\rb",
            "<svg viewBox='0 0 1 1' id=icon><circle r='1'/><path d='M0'></path></svg>",
        ];
        let options = options();
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let (mut read, mut bodies) = (0, 0);
        for _ in 0..6000 {
            let mut html = String::from("<!DOCTYPE html><html");
            if next(3) == 0 {
                html.push_str(" lang='EN-gb'");
            }
            html.push_str("><head><title>Title</title></head><body>");
            let mut stack: Vec<&str> = Vec::new();
            for _ in 0..next(40) {
                match next(10) {
                    0..=3 => html.push_str(TEXTS[next(TEXTS.len())]),
                    4..=6 => {
                        let tag = TAGS[next(TAGS.len())];
                        html.push('<');
                        html.push_str(tag);
                        for _ in 0..next(3) {
                            html.push(' ');
                            html.push_str(ATTRS[next(ATTRS.len())]);
                        }
                        html.push('>');
                        stack.push(tag);
                    }
                    7 => {
                        let tag = VOIDS[next(VOIDS.len())];
                        html.push('<');
                        html.push_str(tag);
                        html.push(' ');
                        html.push_str(ATTRS[next(ATTRS.len())]);
                        html.push_str(if next(2) == 0 { ">" } else { "/>" });
                    }
                    _ => {
                        // Mostly the open element's end tag; now and then another's.
                        let tag = match stack.pop() {
                            Some(_) | None if next(30) == 0 => TAGS[next(TAGS.len())],
                            Some(tag) => tag,
                            None => continue,
                        };
                        html.push_str("</");
                        html.push_str(tag);
                        html.push('>');
                    }
                }
            }
            while let Some(tag) = stack.pop() {
                if next(40) != 0 {
                    html.push_str(&format!("</{tag}>"));
                }
            }
            html.push_str("</body></html>");
            if same_or_declined(&html, &options) {
                read += 1;
                bodies += html.contains("data-pagefind-body") as usize;
            }
        }
        // Most of them are read: the comparison above is not a formality.
        assert!(read > 4000, "read only {read} of 6000");
        assert!(bodies > 500, "only {bodies} read with a body element");
    }
}

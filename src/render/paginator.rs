//! A list's paginator, as templates see it: the first, last, previous and
//! next pages, and a window of page numbers around the current one.

use serde::Serialize;

use crate::site::routes::Routes;

#[derive(Serialize)]
pub struct PageNumber {
    pub number: usize,
    pub url: String,
    pub current: bool,
    /// A gap ("…") stands here instead of a page; `number` and `url` are empty.
    pub gap: bool,
}

#[derive(Serialize)]
pub struct Paginator {
    pub current: usize,
    pub total_pages: usize,
    pub total_items: usize,
    pub per_page: usize,
    pub first_url: String,
    pub last_url: String,
    pub prev_url: String,
    pub next_url: String,
    pub pages: Vec<PageNumber>,
}

/// The paginator for page `current` (1-based) of a list whose first page
/// is `base` (`/x/`).
pub fn paginator(
    base: &str,
    current: usize,
    (total_pages, total_items, per_page): (usize, usize, usize),
) -> Paginator {
    let url = |n: usize| Routes::list_page(base, n);
    let number = |n: Option<usize>| match n {
        Some(number) => PageNumber {
            number,
            url: url(number),
            current: number == current,
            gap: false,
        },
        None => PageNumber {
            number: 0,
            url: String::new(),
            current: false,
            gap: true,
        },
    };
    Paginator {
        current,
        total_pages,
        total_items,
        per_page,
        first_url: url(1),
        last_url: url(total_pages),
        prev_url: if current > 1 {
            url(current - 1)
        } else {
            String::new()
        },
        next_url: if current < total_pages {
            url(current + 1)
        } else {
            String::new()
        },
        pages: page_window(current, total_pages)
            .into_iter()
            .map(number)
            .collect(),
    }
}

/// Which page numbers a paginator shows: the first, the last and two either
/// side of the current one, with None for a gap. A gap of one page shows
/// that page instead. At most nine entries, so a list of any length costs
/// the same per page (listing every page on every page is quadratic).
pub fn page_window(current: usize, total: usize) -> Vec<Option<usize>> {
    let lo = current.saturating_sub(2).max(1);
    let hi = (current + 2).min(total);
    let mut out = Vec::with_capacity(9);
    if lo > 1 {
        out.push(Some(1));
        match lo {
            2 => {}
            3 => out.push(Some(2)),
            _ => out.push(None),
        }
    }
    out.extend((lo..=hi).map(Some));
    if hi < total {
        match total - hi {
            1 => {}
            2 => out.push(Some(total - 1)),
            _ => out.push(None),
        }
        out.push(Some(total));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_window_is_small_whatever_the_length() {
        let show = |c, t| {
            page_window(c, t)
                .iter()
                .map(|n| n.map_or("…".to_string(), |n| n.to_string()))
                .collect::<Vec<_>>()
                .join(" ")
        };
        assert_eq!(show(1, 1), "1");
        assert_eq!(show(1, 3), "1 2 3");
        assert_eq!(show(1, 972), "1 2 3 … 972");
        assert_eq!(show(500, 972), "1 … 498 499 500 501 502 … 972");
        assert_eq!(show(4, 9), "1 2 3 4 5 6 … 9");
        assert_eq!(show(5, 9), "1 2 3 4 5 6 7 8 9");
        assert_eq!(show(972, 972), "1 … 970 971 972");
        assert!((1..=972).all(|c| page_window(c, 972).len() <= 9));
    }
}

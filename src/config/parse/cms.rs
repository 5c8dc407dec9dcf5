//! `[cms]`: the editor in the browser, and the git host it saves to once
//! the site is published.

use super::Problems;
use crate::config::raw::RawCms;
use crate::config::{Cms, GitHost};

/// The git hosts Decap CMS can commit to with no service in between.
const BACKENDS: [&str; 3] = ["github", "gitlab", "gitea"];

pub(super) fn validate(raw: RawCms, p: &mut Problems) -> Option<Cms> {
    let start = p.text.find("[cms]").unwrap_or(0);
    let RawCms {
        enabled,
        backend,
        repo,
        branch,
        auth_url,
    } = raw;
    let backend = backend.unwrap_or_else(|| "github".into());
    if !BACKENDS.contains(&backend.as_str()) {
        p.at_from(
            start,
            "backend",
            format!("[cms] `backend` must be one of github, gitlab or gitea, found {backend:?}"),
            "the git host the site's repository is on, e.g. backend = \"github\"",
        );
    }
    let branch = branch.unwrap_or_else(|| "main".into());
    if branch.trim().is_empty() || branch.contains(char::is_whitespace) {
        p.at_from(
            start,
            "branch",
            format!("[cms] `branch` must be a branch name, found {branch:?}"),
            "the branch the site is published from, e.g. branch = \"main\"",
        );
    }
    if let Some(url) = &auth_url
        && !url.starts_with("https://")
    {
        p.at_from(
            start,
            "auth_url",
            format!("[cms] `auth_url` must be an https:// address, found {url:?}"),
            "the address of the sign-in (OAuth) server, e.g. auth_url = \"https://cms-auth.example.org\"",
        );
    }
    let host = match repo {
        Some(repo) if is_repo(&repo) => Some(GitHost {
            backend,
            repo,
            branch,
            auth_url,
        }),
        Some(repo) => {
            p.at_from(
                start,
                "repo",
                format!("[cms] `repo` must be `owner/name`, found {repo:?}"),
                "the repository on the git host, e.g. repo = \"birminghampartners/site\"",
            );
            None
        }
        None => None,
    };
    enabled.then_some(Cms { host })
}

/// `owner/name`, or `group/subgroup/name` (GitLab): segments of letters,
/// digits, `.`, `_` and `-`.
fn is_repo(repo: &str) -> bool {
    let segments: Vec<&str> = repo.split('/').collect();
    segments.len() >= 2
        && segments.iter().all(|s| {
            !s.is_empty()
                && *s != "."
                && *s != ".."
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        })
}

#[cfg(test)]
mod tests {
    use super::is_repo;

    #[test]
    fn a_repository_is_owner_and_name() {
        assert!(is_repo("birminghampartners/site"));
        assert!(is_repo("group/sub/site.web"));
        for bad in ["site", "a//b", "/a/b", "a/b/", "a/../b", "a b/c", "a/b?x"] {
            assert!(!is_repo(bad), "{bad}");
        }
    }
}

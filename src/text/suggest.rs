//! "Did you mean" suggestions: one edit distance and one closeness rule for every hint.

/// The candidate closest to `target`, for "did you mean" hints: the smallest edit distance
/// ([`edit_distance`], case-insensitive), at most a third of the target's length (and at
/// least 2). Ties go to the first candidate.
pub fn closest<'a>(target: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let wanted: Vec<char> = target.to_lowercase().chars().collect();
    let limit = (wanted.len() / 3).max(2);
    candidates
        .map(|c| {
            let cand: Vec<char> = c.to_lowercase().chars().collect();
            (edit_distance(&wanted, &cand), c)
        })
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Optimal-string-alignment distance: insertions, deletions, substitutions and adjacent
/// transpositions each cost 1.
pub fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut prev2: Vec<usize> = vec![0; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut cur = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(prev2[j - 2] + 1);
            }
            cur[j] = d;
        }
        prev2 = std::mem::replace(&mut prev, cur);
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_suggests_near_misses_only() {
        let keys = ["fardet2014", "henter2007"];
        assert_eq!(
            closest("fardet2015", keys.iter().copied()),
            Some("fardet2014")
        );
        assert_eq!(closest("zzzzzzzzzzzzzzzz", keys.iter().copied()), None);
    }

    #[test]
    fn edit_distance_counts_transpositions_once() {
        let d = |a: &str, b: &str| {
            edit_distance(
                &a.chars().collect::<Vec<_>>(),
                &b.chars().collect::<Vec<_>>(),
            )
        };
        assert_eq!(d("", ""), 0);
        assert_eq!(d("abc", ""), 3);
        assert_eq!(d("ab", "ba"), 1);
        assert_eq!(d("kitten", "sitting"), 3);
    }
}

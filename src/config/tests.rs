//! Tests of `config.toml` parsing: every value refused at its place.

use super::*;

fn parse(text: &str) -> Result<Config, Diagnostic> {
    Config::parse(Path::new("config.toml"), text).map_err(|mut d| {
        assert_eq!(d.len(), 1, "{d:?}");
        d.remove(0)
    })
}

/// Line, column and message of each diagnostic.
fn located(diags: &[Diagnostic]) -> Vec<(usize, usize, &str)> {
    diags
        .iter()
        .map(|d| (d.line(), d.column(), d.message.as_str()))
        .collect()
}

#[test]
fn base_path_handles_sub_paths() {
    let c = parse("title='t'\nbase_url='https://example.org/kb'").unwrap();
    assert_eq!(c.base_url, "https://example.org/kb/");
    assert_eq!(c.base_path(), "/kb");
    let c = parse("title='t'\nbase_url='https://example.org'").unwrap();
    assert_eq!(c.base_path(), "");
    let c = parse("title='t'\nbase_url='/'").unwrap();
    assert_eq!(c.base_path(), "");
}

#[test]
fn required_sections_listed_twice_or_empty_are_located() {
    // The overview's "Diagnosis" comes first in the file; the monograph's repeat is
    // the one reported, at its second place.
    let text = "title='t'\nbase_url='/'\n[kinds.overview]\nrequired_sections = ['Diagnosis']\n[kinds.monograph]\nrequired_sections = ['Diagnosis', 'Management',\n  'Diagnosis', '']\n";
    let d = Config::parse(Path::new("config.toml"), text).unwrap_err();
    let found = located(&d);
    assert_eq!(
        found,
        [
            (
                7,
                4,
                "section `Diagnosis` is listed twice in [kinds.monograph] required_sections"
            ),
            (
                7,
                17,
                "a section title in [kinds.monograph] required_sections is empty"
            ),
        ]
    );
    assert!(
        parse("title='t'\nbase_url='/'\n[kinds.monograph]\nrequired_sections = ['A', 'B']\n")
            .is_ok()
    );
}

#[test]
fn base_url_must_be_an_http_url_or_a_root_path() {
    for good in [
        "https://example.org/kb/",
        "http://127.0.0.1:8000",
        "/",
        "/kb/",
    ] {
        assert!(check_base_url(good).is_ok(), "{good}");
    }
    for bad in [
        "notaurl",
        "example.org/kb/",
        "ftp://example.org/",
        "https://",
        "https:///kb/",
        "//example.org/",
        "https://example.org/kb/?x=1",
        "https://example.org/a b/",
        "",
    ] {
        assert!(check_base_url(bad).is_err(), "{bad:?} accepted");
    }
    let err = parse("title='t'\n\nbase_url = 'notaurl'\n").unwrap_err();
    assert_eq!((err.line(), err.column()), (3, 13), "{err}");
    assert!(err.message.contains("`notaurl`"), "{err}");
}

#[test]
fn empty_title_unknown_language_and_bad_kind_name_are_located() {
    let err = parse("title = ' '\nbase_url='/'").unwrap_err();
    assert_eq!((err.line(), err.message.as_str()), (1, "`title` is empty"));
    let err = parse("title='t'\nbase_url='/'\nlanguage = 'english'").unwrap_err();
    assert_eq!(err.line(), 3, "{err}");
    for good in ["en", "en-GB", "zh-Hant-TW", "fil"] {
        let c = parse(&format!("title='t'\nbase_url='/'\nlanguage='{good}'"));
        assert!(c.is_ok(), "{good}");
    }
    // A kind's name becomes a CSS class and is written in front matter.
    for bad in ["Bedside", "bed_side", "1st", "\"a b\""] {
        let err = parse(&format!(
            "title='t'\nbase_url='/'\n\n[kinds.{bad}]\nmin_references = 3\n"
        ))
        .unwrap_err();
        assert_eq!((err.line(), err.column()), (4, 8), "{err}");
        assert!(err.message.contains("is not allowed"), "{err}");
    }
    let c = parse("title='t'\nbase_url='/'\n[kinds.monograph]\n[kinds.bedside-2]\n").unwrap();
    let line = |name: &str| {
        c.kinds[&PageKind::from_name(name)]
            .span
            .as_ref()
            .map_or(0, |s| s.line)
    };
    assert_eq!((line("monograph"), line("bedside-2")), (3, 4));
    assert_eq!(
        c.kind_names(),
        ["monograph", "overview", "page", "bedside-2"]
    );
}

#[test]
fn every_key_named_top_level_is_a_config_key() {
    let values = [
        "'t'", "'/'", "'en'", "'#abc'", "30", "true", "false", "{}", "[]",
    ];
    assert!(
        top_level_keys().contains(&"theme_color"),
        "{:?}",
        top_level_keys()
    );
    for &key in top_level_keys() {
        let others: String = top_level_keys()
            .iter()
            .filter(|k| ["title", "base_url"].contains(k) && *k != &key)
            .map(|k| format!("{k} = '{}'\n", if *k == "title" { "t" } else { "/" }))
            .collect();
        let accepted = values
            .iter()
            .any(|v| parse(&format!("{others}{key} = {v}\n")).is_ok());
        assert!(accepted, "`{key}` is not a top-level key of config.toml");
    }
}

#[test]
fn every_wrong_value_is_reported_at_once() {
    let text = "title = ''\nbase_url = 'kb'\nlanguage = 'e'\ntheme_color = 'red'\n";
    let err = Config::parse(Path::new("config.toml"), text).unwrap_err();
    let lines: Vec<usize> = err.iter().map(|d| d.line()).collect();
    assert_eq!(lines, [1, 3, 2, 4], "{err:?}");
}

#[test]
fn theme_color_is_a_hex_colour() {
    assert_eq!(
        parse("title='t'\nbase_url='/'").unwrap().theme_color,
        "#8b1e3f"
    );
    for good in ["#abc", "#A0B1C2"] {
        assert!(is_hex_color(good), "{good}");
    }
    for bad in ["red", "#abcd", "abc", "#ggg", "#", ""] {
        assert!(!is_hex_color(bad), "{bad}");
    }
}

#[test]
fn a_top_level_key_under_a_table_gets_a_hint() {
    let err =
        parse("title='t'\nbase_url='/'\n[kinds.monograph]\nmin_references = 3\nsearch = false\n")
            .unwrap_err();
    assert_eq!(err.line(), 5, "{err}");
    assert!(err.hint.unwrap().contains("above the first `[table]`"));
}

#[test]
fn unknown_key_is_an_error_with_its_line() {
    let err = parse("title='t'\nbase_url='/'\ncolour = 'red'\n").unwrap_err();
    assert_eq!(err.line(), 3);
    assert!(err.message.contains("colour"), "{}", err.message);
}

#[test]
fn a_control_character_in_a_text_shown_on_every_page_is_refused_at_its_line() {
    let text = "title = \"K\\u001bB\"\nbase_url = \"/\"\ndescription = \"a\\u0007\"\n\
                [languages.zh-Hans]\ntitle = '测试'\ndisclaimer = \"仅供\\u0007教学\"\n";
    let errs = Config::parse(Path::new("config.toml"), text).unwrap_err();
    let found: Vec<(usize, &str)> = errs
        .iter()
        .map(|d| (d.line(), d.message.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (1, "`title` contains the control character U+001B"),
            (3, "`description` contains the control character U+0007"),
            (
                6,
                "`[languages.zh-Hans]` `disclaimer` contains the control character U+0007"
            ),
        ]
    );
}

#[test]
fn search_synonyms_that_cannot_match_are_located() {
    let text = "title='t'\nbase_url='/'\n[search_synonyms]\nhlh = ['hps', 'HPS',\n  'hlh']\n'Bad  Term' = ['x']\nscd25 = ['hps']\n";
    let d = Config::parse(Path::new("config.toml"), text).unwrap_err();
    let found = located(&d);
    // Terms in key order (upper case first); each place is the name's first character.
    assert_eq!(
        found,
        [
            (
                6,
                1,
                "search synonym term `Bad  Term` is not in the form queries are compared in"
            ),
            (
                4,
                16,
                "search synonym `HPS` (for `hlh`) is not in the form queries are compared in"
            ),
            (5, 4, "`hlh` is listed as a synonym of itself"),
            (
                7,
                11,
                "search synonym `hps` is listed twice (for `hlh` and for `scd25`)"
            ),
        ]
    );
    assert_eq!(d[3].labels.len(), 1, "first place labelled: {:?}", d[3]);
    // A tab is whitespace a query never has (its spaces are collapsed to one).
    let tab = parse("title='t'\nbase_url='/'\n[search_synonyms]\nhlh = [\"hem\\tsyndrome\"]\n");
    assert!(tab.is_err_and(|d| d.message.contains("not in the form")));
    let c = parse("title='t'\nbase_url='/'\n[search_synonyms]\n\"btk inhibitor\" = ['btki', \"bruton's tyrosine kinase inhibitor\"]\n").unwrap();
    assert_eq!(c.search_synonyms["btk inhibitor"].len(), 2);
}

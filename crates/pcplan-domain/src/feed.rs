//! Measures computed from police.uk crime data: which crimes a measure counts.
//!
//! A measure of the plan says in words what it counts (`definition`); a feed says it to
//! the machine, so the observations of the measure can be computed, per month and local
//! authority area, from the crime data a body has imported. A measure without a feed is
//! entered by staff or imported from a spreadsheet.

use serde::{Deserialize, Serialize};

/// police.uk's crime type for anti-social behaviour incidents, which are not crimes.
pub const ANTI_SOCIAL_BEHAVIOUR: &str = "Anti-social behaviour";

/// What a computed measure counts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum MeasureFeed {
    /// Recorded crimes of every type, anti-social behaviour left out.
    Crimes,
    /// Recorded crimes of one police.uk crime type (`Burglary`, `Violence and sexual offences`).
    CrimesOfType { crime_type: String },
    /// Anti-social behaviour incidents.
    AntiSocialBehaviour,
    /// The share of crimes (anti-social behaviour left out) whose last outcome is a
    /// charge or summons, or a court outcome that follows one, with the counts behind it.
    ChargeShare,
}

impl MeasureFeed {
    /// The feed named as `pcplan-demo` and the settings page name it: `crimes`,
    /// `crimes_of_type` (with a crime type), `anti_social_behaviour`, `charge_share`.
    pub fn parse(kind: &str, crime_type: Option<&str>) -> Result<MeasureFeed, String> {
        let crime_type = crime_type.map(str::trim).filter(|t| !t.is_empty());
        match (kind, crime_type) {
            ("crimes", None) => Ok(MeasureFeed::Crimes),
            ("crimes_of_type", Some(t)) => Ok(MeasureFeed::CrimesOfType { crime_type: t.to_string() }),
            ("crimes_of_type", None) => Err(String::from("choose the police.uk crime type the measure counts")),
            ("anti_social_behaviour", None) => Ok(MeasureFeed::AntiSocialBehaviour),
            ("charge_share", None) => Ok(MeasureFeed::ChargeShare),
            ("crimes" | "anti_social_behaviour" | "charge_share", Some(t)) => {
                Err(format!("a `{kind}` feed counts no single crime type, but `{t}` was given; leave it empty"))
            }
            _ => Err(format!(
                "`{kind}` is not a feed; use crimes, crimes_of_type, anti_social_behaviour or charge_share"
            )),
        }
    }

    /// The feed's name in [`MeasureFeed::parse`].
    pub fn kind(&self) -> &'static str {
        match self {
            MeasureFeed::Crimes => "crimes",
            MeasureFeed::CrimesOfType { .. } => "crimes_of_type",
            MeasureFeed::AntiSocialBehaviour => "anti_social_behaviour",
            MeasureFeed::ChargeShare => "charge_share",
        }
    }

    /// What the feed counts, for a page.
    pub fn describe(&self) -> String {
        match self {
            MeasureFeed::Crimes => String::from("Recorded crimes of every type, anti-social behaviour left out"),
            MeasureFeed::CrimesOfType { crime_type } => {
                format!("Recorded crimes of the type \u{201c}{crime_type}\u{201d}")
            }
            MeasureFeed::AntiSocialBehaviour => String::from("Anti-social behaviour incidents"),
            MeasureFeed::ChargeShare => String::from(
                "Share of crimes (anti-social behaviour left out) whose last outcome is a charge or summons, \
                 with both counts",
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feeds_parse_from_their_names_and_refuse_a_missing_or_stray_crime_type() {
        assert_eq!(MeasureFeed::parse("crimes", None), Ok(MeasureFeed::Crimes));
        assert_eq!(
            MeasureFeed::parse("crimes_of_type", Some(" Burglary ")),
            Ok(MeasureFeed::CrimesOfType { crime_type: String::from("Burglary") })
        );
        assert!(MeasureFeed::parse("crimes_of_type", Some("")).is_err());
        assert!(
            MeasureFeed::parse("charge_share", Some("Burglary")).expect_err("stray type").contains("leave it empty")
        );
        assert!(MeasureFeed::parse("arrests", None).expect_err("unknown feed").contains("`arrests` is not a feed"));
        for feed in [MeasureFeed::Crimes, MeasureFeed::AntiSocialBehaviour, MeasureFeed::ChargeShare] {
            assert_eq!(MeasureFeed::parse(feed.kind(), None), Ok(feed));
        }
    }
}

//! A small fixed corpus for the theme tests: three clearly different topics of 20
//! short responses each, and a 20-copy campaign. Written for these tests; no real
//! respondent's words.

use pcplan_themes::Response;

pub const ASB: &str = "asb";
pub const ROADS: &str = "roads";
pub const ABUSE: &str = "abuse";

const ASB_TEXTS: [&str; 20] = [
    "Gangs of youths hanging around the park causing anti-social behaviour every night.",
    "Anti-social behaviour in the town centre makes people feel unsafe at night.",
    "Youths drinking in the park and shouting, the anti-social behaviour is constant.",
    "Graffiti and vandalism on the shops, tackle anti-social behaviour please.",
    "Noisy youths on the estate at night, anti-social behaviour is out of control.",
    "The park is full of broken bottles and vandalism from youths drinking.",
    "We need more patrols in the town centre to stop anti-social behaviour.",
    "Vandalism of bus shelters and graffiti on walls, the youths are never caught.",
    "Drinking and shouting in the park late at night keeps residents awake.",
    "Anti-social behaviour by youths on bikes around the shops and the estate.",
    "Neighbours suffer noise and anti-social behaviour from the same youths every night.",
    "Graffiti everywhere in the town centre, vandalism is getting worse.",
    "Gangs of youths intimidate shoppers in the town centre with anti-social behaviour.",
    "The estate needs patrols because youths cause vandalism and noise at night.",
    "Teenagers drinking in the park leave litter and cause anti-social behaviour.",
    "Youths throwing stones at buses, vandalism and anti-social behaviour on the estate.",
    "Please deal with the graffiti and vandalism around the park and the shops.",
    "Groups of youths gather at night outside the shops causing noise and trouble.",
    "Anti-social behaviour in the park ruins it for families, more patrols needed.",
    "Drunk youths at night in the town centre, shouting and vandalism.",
];

const ROADS_TEXTS: [&str; 20] = [
    "Speeding cars on our road put children at risk, we need speed cameras.",
    "Drivers speeding through the village ignore the speed limit every day.",
    "Install speed cameras on the main road to stop speeding drivers.",
    "Dangerous driving and speeding near the school, children crossing the road are at risk.",
    "The speed limit is ignored, cars race down the road at night.",
    "More road safety enforcement please, speeding drivers and mobile phones at the wheel.",
    "Speeding motorbikes on the country road, a fatal crash waiting to happen.",
    "Road safety near the school is poor, drivers speeding past the crossing.",
    "Speed cameras and traffic calming on the main road would stop speeding cars.",
    "Drivers using mobile phones and speeding, road safety must be a priority.",
    "Cars speeding through the village at twice the speed limit.",
    "A crash on the main road last month, speeding drivers are a danger.",
    "Enforce the speed limit outside the school, drivers are speeding every morning.",
    "Dangerous driving on the road, speeding cars and drink driving.",
    "Traffic calming and speed cameras needed, the road is a racetrack for speeding cars.",
    "Drink driving and speeding drivers cause crashes on country roads.",
    "Road safety matters, too many drivers speeding near the crossing.",
    "The village road needs speed cameras, speeding drivers every evening.",
    "Speeding on the main road, cars overtaking dangerously near the school.",
    "Stop speeding drivers with more traffic enforcement and speed cameras on the road.",
];

const ABUSE_TEXTS: [&str; 20] = [
    "Domestic abuse victims need better support and faster police response.",
    "Support services for victims of domestic abuse must be properly funded.",
    "Domestic abuse is hidden, victims are afraid to report their partner.",
    "More refuge places for women and children fleeing domestic abuse.",
    "Victims of domestic abuse should get specialist support from trained officers.",
    "Coercive control and domestic abuse must be taken seriously by officers.",
    "Domestic violence victims waited hours for a response, support them better.",
    "Fund domestic abuse support services and refuges for victims and children.",
    "Victims of domestic abuse need to be believed when they report a partner.",
    "Training for officers on coercive control and domestic abuse, victims deserve better.",
    "Domestic abuse support for children who witness violence at home.",
    "Specialist domestic abuse advisers help victims through court.",
    "Victims of domestic violence need safe refuge and support services.",
    "Domestic abuse by a partner ruins lives, victims need protection orders enforced.",
    "Support victims of domestic abuse with advocates and refuge places.",
    "Report domestic abuse safely, victims need confidence in officers.",
    "Protection orders for domestic abuse victims are not enforced, support victims.",
    "Women and children fleeing domestic abuse need refuge and support.",
    "Domestic abuse and coercive control cases need specialist officers and support for victims.",
    "Victims of domestic abuse deserve a quick response and ongoing support.",
];

/// The 60 topical responses, with their topic, ids "asb-0".."abuse-19".
pub fn topical() -> Vec<(Response, &'static str)> {
    let mut out = Vec::new();
    for (topic, texts) in [(ASB, ASB_TEXTS), (ROADS, ROADS_TEXTS), (ABUSE, ABUSE_TEXTS)] {
        for (i, text) in texts.iter().enumerate() {
            out.push((Response { id: format!("{topic}-{i}"), text: (*text).to_owned() }, topic));
        }
    }
    out
}

/// A copy-paste campaign about speeding: 20 copies, some with small edits.
pub fn campaign() -> Vec<Response> {
    let base = "I support the Safer Roads campaign. Speeding drivers on the bypass are a menace and the commissioner must fund average speed cameras on the whole bypass now";
    (0..20)
        .map(|i| Response {
            id: format!("campaign-{i}"),
            text: match i % 4 {
                0 => base.to_owned(),
                1 => base.to_uppercase(),
                2 => format!("{base}!"),
                _ => format!("{base}. Thank you"),
            },
        })
        .collect()
}

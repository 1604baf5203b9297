//! Distances for "near me" search (R13). Belgium is small enough for an equirectangular
//! approximation in SQL (plain arithmetic both backends can index around); exact distances are
//! computed with the haversine formula for the results.

pub const EARTH_RADIUS_KM: f64 = 6371.0088;
/// Kilometres per degree of latitude.
pub const KM_PER_DEGREE: f64 = 111.195;
/// Size of a grid cell in degrees: a distance search reads the cells its circle touches.
pub const CELL_DEGREES: f64 = 0.1;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Punt {
    pub lat: f64,
    pub lon: f64,
}

impl Punt {
    /// Parses `lat,lon`.
    pub fn parse(s: &str) -> Result<Punt, String> {
        let (lat, lon) = s.split_once(',').ok_or("expected lat,lon, e.g. 51.05,3.72")?;
        let lat: f64 = lat.trim().parse().map_err(|_| "latitude is not a number")?;
        let lon: f64 = lon.trim().parse().map_err(|_| "longitude is not a number")?;
        if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
            return Err("coordinates out of range".into());
        }
        Ok(Punt { lat, lon })
    }

    /// Great-circle distance in km.
    pub fn afstand_km(&self, other: &Punt) -> f64 {
        let (p1, p2) = (self.lat.to_radians(), other.lat.to_radians());
        let dp = p2 - p1;
        let dl = (other.lon - self.lon).to_radians();
        let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_KM * a.sqrt().asin()
    }
}

/// The grid cell of a point.
pub fn geocel(lat: f64, lon: f64) -> i32 {
    let row = (lat / CELL_DEGREES).floor() as i32;
    let col = (lon / CELL_DEGREES).floor() as i32;
    row * 10_000 + col
}

/// What a distance search needs in SQL: the cells its circle touches, and the scaled squared
/// distance `(lat - lat0)² + ((lon - lon0)·k)² ≤ max` in degrees of latitude.
#[derive(Clone, Debug)]
pub struct Omtrek {
    pub centrum: Punt,
    /// cos(latitude): a degree of longitude is this much shorter than one of latitude.
    pub lon_schaal: f64,
    pub max_kwadraat: f64,
    pub cellen: Vec<i32>,
}

impl Omtrek {
    pub fn new(centrum: Punt, radius_km: f64) -> Omtrek {
        let lon_schaal = centrum.lat.to_radians().cos().max(0.01);
        let dlat = radius_km / KM_PER_DEGREE;
        let dlon = dlat / lon_schaal;
        let row = |lat: f64| (lat / CELL_DEGREES).floor() as i32;
        let col = |lon: f64| (lon / CELL_DEGREES).floor() as i32;
        let mut cellen = Vec::new();
        for r in row(centrum.lat - dlat)..=row(centrum.lat + dlat) {
            for c in col(centrum.lon - dlon)..=col(centrum.lon + dlon) {
                cellen.push(r * 10_000 + c);
            }
        }
        // A small margin: the approximation may differ from haversine by a fraction of a percent.
        let max = dlat * 1.005;
        Omtrek { centrum, lon_schaal, max_kwadraat: max * max, cellen }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        let gent = Punt { lat: 51.0543, lon: 3.7174 };
        let antwerpen = Punt { lat: 51.2194, lon: 4.4025 };
        let d = gent.afstand_km(&antwerpen);
        assert!((d - 50.9).abs() < 1.0, "{d}");
        assert!(Punt::parse("51.05, 3.72").is_ok());
        assert!(Punt::parse("51.05").is_err());
        assert!(Punt::parse("91,3").is_err());
    }

    #[test]
    fn the_cells_cover_the_circle() {
        let c = Punt { lat: 51.0, lon: 4.0 };
        let o = Omtrek::new(c, 10.0);
        // Points on the circle in all directions fall in one of the cells.
        for deg in (0..360).step_by(15) {
            let a = f64::from(deg).to_radians();
            let p = Punt {
                lat: c.lat + (10.0 / KM_PER_DEGREE) * a.sin() * 0.999,
                lon: c.lon + (10.0 / KM_PER_DEGREE) * a.cos() * 0.999 / o.lon_schaal,
            };
            assert!(o.cellen.contains(&geocel(p.lat, p.lon)), "{deg}");
            let approx = (p.lat - c.lat).powi(2) + ((p.lon - c.lon) * o.lon_schaal).powi(2);
            assert!(approx <= o.max_kwadraat);
            assert!((c.afstand_km(&p) - 10.0).abs() < 0.1);
        }
        assert!(o.cellen.len() <= 12);
    }
}

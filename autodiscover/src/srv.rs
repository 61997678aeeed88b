//! DNS SRV records and the RFC 2782 choice among them.

use crate::address::normalize_host_name;

/// One SRV record of `_autodiscover._tcp.DOMAIN`, as the caller's resolver returns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SrvRecord {
    /// Priority: lower values are tried first (RFC 2782).
    pub priority: u16,
    /// Weight: relative chance among records of equal priority.
    pub weight: u16,
    /// Port.
    pub port: u16,
    /// Target host name (`.` means "no service").
    pub target: String,
}

/// Chooses one record: drops target `.` (and targets that are not DNS host names) and ports not in `allowed_ports`, keeps the **lowest**
/// priority value, then picks by RFC 2782 weighted random choice with `seed`, or without a seed the
/// highest weight (ties: the first record in answer order).
pub(crate) fn choose<'a>(
    records: &'a [SrvRecord],
    allowed_ports: &[u16],
    seed: Option<u64>,
) -> Option<&'a SrvRecord> {
    let usable: Vec<&SrvRecord> = records
        .iter()
        .filter(|r| {
            // Target `.` means "no service"; anything that is not a DNS host name is unusable.
            let target = r.target.trim_end_matches('.');
            normalize_host_name(target).is_ok() && allowed_ports.contains(&r.port)
        })
        .collect();
    let lowest = usable.iter().map(|r| r.priority).min()?;
    let group: Vec<&SrvRecord> = usable
        .into_iter()
        .filter(|r| r.priority == lowest)
        .collect();
    match seed {
        None => group
            .iter()
            .copied()
            .reduce(|best, r| if r.weight > best.weight { r } else { best }),
        Some(seed) => {
            let total: u64 = group.iter().map(|r| u64::from(r.weight)).sum();
            if total == 0 {
                return group.first().copied();
            }
            // RFC 2782: a running sum over the records and a uniform number in 0..=total, here from a
            // splitmix64 step so the same seed always gives the same choice.
            let pick = splitmix64(seed) % (total + 1);
            let mut running = 0u64;
            group.iter().copied().find(|r| {
                running += u64::from(r.weight);
                running >= pick && r.weight > 0
            })
        }
    }
}

fn splitmix64(seed: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(priority: u16, weight: u16, port: u16, target: &str) -> SrvRecord {
        SrvRecord {
            priority,
            weight,
            port,
            target: target.into(),
        }
    }

    #[test]
    fn weighted_choice_is_deterministic_and_stays_in_lowest_priority() {
        let records = [
            rec(0, 10, 443, "a."),
            rec(0, 90, 443, "b."),
            rec(5, 100, 443, "c."),
        ];
        for seed in 0..200 {
            let picked = choose(&records, &[443], Some(seed)).unwrap();
            assert_ne!(picked.target, "c.");
            assert_eq!(choose(&records, &[443], Some(seed)).unwrap(), picked);
        }
        let b = (0..1000)
            .filter(|s| choose(&records, &[443], Some(*s)).unwrap().target == "b.")
            .count();
        assert!(b > 700, "weight 90 of 100 chosen {b} of 1000 times");
    }
}

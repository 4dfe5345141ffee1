"""Rules mirror the Regulation: one module per provision family, each rule citing its provision.

Importing this package registers every rule, in the order the engine runs them.
"""

from dualuse.rules import (  # noqa: F401  (imported to register the rules)
    ad_hoc,
    annex_ii,
    art03_listed,
    art04_catch_all,
    art05_cyber_surveillance,
    art06_brokering,
    art07_transit,
    art08_technical_assistance,
    art09_national_measures,
    art11_intra_union_transfer,
    art27_records,
    national_services,
    sanctions,
    sanctions_goods,
)
from dualuse.rules.registry import Rule, all_rules, closing, rule, rules_for, rules_in_two

__all__ = ["Rule", "all_rules", "closing", "rule", "rules_for", "rules_in_two"]

"""EU sanctions that list goods beyond Annex I (by CN code, and Annex VII Part A by description):
the prohibitions for exports to the destination (`destination`) and the duties on exports of
listed goods to third countries (`third_country`). The facts of an item's CN code on a day are in
`facts`. Importing this package registers the rules."""

from dualuse.rules.sanctions_goods import destination, third_country

# The rules that read an item's CN code (ctx.goods): every other rule decides the same whatever
# the code, which the batch path uses to run only these for each class of codes.
READS_CN_CODE = frozenset({destination.LISTED, destination.UNLISTED, third_country.RULE})

# Faults under load (gatehoused): misbehaving and killed upstreams, a full disk (a tmpfs when the
# test may mount one). Bounded: each fault lasts seconds; the whole test stays under a minute.
gatehouse_add_integration_test(tst_faultsunderload SLOW TIMEOUT 180)

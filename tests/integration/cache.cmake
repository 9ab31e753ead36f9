# response-cache through the real gateway (in-process and gatehoused) against a counting upstream:
# hits never reach it, Vary, no-store/private, callers kept apart, size and memory bounds.
gatehouse_add_integration_test(tst_cacheproxy COST 12)
# Revalidation (ETag / Last-Modified, 304) and invalidation by unsafe methods against nginx.
gatehouse_add_integration_test(tst_cacherevalidationproxy)

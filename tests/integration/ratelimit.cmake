# Rate limiting through the real gateway: local counters over 4 workers, and Redis shared by two
# gateways (a redis-server started by the test).
gatehouse_add_integration_test(tst_ratelimit)
gatehouse_add_integration_test(tst_ratelimitredis)
gatehouse_add_integration_test(tst_redisratelimitstore)

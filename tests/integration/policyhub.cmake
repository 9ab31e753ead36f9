# The offline policy hub through gatehoused: the bundled packages installed and working, publish,
# install and update with checksums, hostile manifests and indexes, a git hub, export.
gatehouse_add_integration_test(tst_policyhub)
gatehouse_add_integration_test(tst_policyhubcommands)

# gatehouse.yaml: the settings model, its loader (value parsers, reader, one file per group of
# sections) and the import of MGW throttling policies.
target_sources(gatehouse-core PRIVATE
    projectsettings.h projectsettings.cpp
    settingsvalues.h settingsvalues.cpp
    settingsreader.h settingsreader.cpp
    settingssections.h settingslisteners.cpp settingssecurity.cpp settingsthrottling.cpp
    mgwpolicies.h mgwpolicies.cpp
)

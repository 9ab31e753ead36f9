// Readers of the sections of gatehouse.yaml, one per top-level key; used by loadProjectSettings.
#pragma once

#include "settingsreader.h"

namespace Gatehouse::SettingsSections {

// Each reads one section into `out`, which holds the defaults on entry; keys not given keep them.
void readListeners(SettingsReader &reader, const SettingsField &field, Listeners &out);
void readLimits(SettingsReader &reader, const SettingsField &field, Limits &out);
void readUpstream(SettingsReader &reader, const SettingsField &field, UpstreamSettings &out);
void readGrpc(SettingsReader &reader, const SettingsField &field, ProjectSettings &out);
void readSecurity(SettingsReader &reader, const SettingsField &field, SecuritySettings &out);
void readThrottling(SettingsReader &reader, const SettingsField &field, ThrottlingSettings &out);
void readTelemetry(SettingsReader &reader, const SettingsField &field, TelemetrySettings &out);
void readHub(SettingsReader &reader, const SettingsField &field, HubSettings &out);

} // namespace Gatehouse::SettingsSections

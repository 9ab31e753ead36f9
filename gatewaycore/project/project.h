// A Gatehouse project folder loaded into memory: settings, APIs, gRPC services. Immutable once loaded.
#pragma once

#include "apimodel.h"
#include "grpcmodel.h"
#include "projectsettings.h"

#include <QList>
#include <QString>

#include <optional>

namespace Gatehouse {

struct Project
{
    QString rootDir;            // absolute, canonical
    ProjectSettings settings;   // gatehouse.yaml, or defaults when the file is absent
    QList<ApiSpec> apis;        // apis/*.yaml|*.yml|*.json, sorted by file name
    ProtoSet protos;            // protos/**/*.proto

    // Loads everything and cross-checks references (tiers, scopes, duplicate routes ...).
    // Never throws; every problem becomes a diagnostic. Returns a project even with errors, so
    // editors can show what was understood.
    static Project load(const QString &dir, Diagnostics &diagnostics);
};

// Loaders, one per kind of file. Paths in diagnostics are relative to projectDir.
ProjectSettings loadProjectSettings(const QString &projectDir, Diagnostics &diagnostics);
std::optional<ApiSpec> loadOpenApiFile(const QString &projectDir, const QString &relativePath,
                                       Diagnostics &diagnostics);
ProtoSet loadProtos(const QString &projectDir, Diagnostics &diagnostics);

// Cross-file checks that need settings, APIs and protos together.
void validateProject(const Project &project, Diagnostics &diagnostics);

} // namespace Gatehouse

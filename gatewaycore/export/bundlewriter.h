// `gatehoused export`: a project written as a resolved, validated, self-contained bundle that
// `gatehoused serve` runs as it is, with secrets left out unless asked for.
#pragma once

#include "environmentoverrides.h"
#include "settingsexport.h"

#include "base/diagnostic.h"
#include "base/result.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <chrono>

namespace Gatehouse {

struct BundleOptions
{
    QString projectDir;
    QString outDir;               // created; must not exist or be empty
    bool includeSecrets = false;  // copy private keys, literal secrets and secret files as they are
};

struct BundleResult
{
    QString name;                           // the project's name
    QString outDir;                         // absolute
    QStringList files;                      // bundle-relative, sorted
    QList<EnvironmentVariable> variables;   // every variable the bundle reads (overrides, then secrets)
    QList<ExportedSecret> secrets;
    QStringList leftOut;                    // project files not exported because they are secret
    quint16 httpPort = 0;                   // from gatehouse.yaml (0 = disabled listener)
    quint16 httpsPort = 0;
    quint16 adminPort = 0;
    std::chrono::milliseconds drainTimeout{0};   // limits.drainTimeout
    bool apiKeysEnabled = false;            // security.apiKeys: the pod needs the signing key
    QString redisHost;                      // throttling.store's Redis host; empty = local counters
    quint16 redisPort = 0;
};

// Loads and compiles the project (errors refuse the export: they are in `diagnostics`), writes the
// bundle, then loads and compiles the bundle to prove it is complete. Warnings about what was left
// out go to `diagnostics` too. The output depends only on the project's files (no time stamps).
Result<BundleResult> writeBundle(const BundleOptions &options, Diagnostics &diagnostics);

} // namespace Gatehouse

// Import of a WSO2 API Microgateway 3.x project into a new Gatehouse project folder: the one
// converter behind `gatehoused import-wso2` and the workbench's "Open MGW Project".
#pragma once

#include "base/diagnostic.h"
#include "base/result.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace Gatehouse {

// What an MGW project folder holds, found by looking only (nothing is written).
struct MgwLayout
{
    QString dir;                  // absolute
    QString apiDir;               // "api_definitions" (or "apis"); empty = none
    QStringList apiFiles;         // OpenAPI files under apiDir, relative to dir, sorted
    int wso2ApiFiles = 0;         // how many of them use x-wso2-* extensions
    QString grpcDir;              // "grpc_definitions" when present
    QStringList protoFiles;       // .proto files under grpcDir, relative to dir
    QString runtimeConfig;        // "conf/micro-gw.conf" when present
    QString deploymentConfig;     // "conf/deployment-config.toml" when present
    QString policies;             // "policies.yaml" when present
    QStringList interceptors;     // files under interceptors/, relative to dir
    QStringList otherFolders;     // lib/, extensions/, services/ ... (not carried over)
    bool hasGatehouseYaml = false;

    // An MGW project: OpenAPI files, plus x-wso2-* extensions, policies.yaml or conf/.
    bool isMgw() const;
};

MgwLayout detectMgwLayout(const QString &dir);

struct MgwImportOptions
{
    QString mgwDir;
    QString outDir;          // created; must not exist or be empty
    QString runtimeConfig;   // micro-gw.conf of the MGW runtime; empty = <mgwDir>/conf/micro-gw.conf if any
    QString certificateDir;  // PEM files named after MGW truststore aliases (<alias>.pem|.crt|.cer)
};

// One part of the MGW project and what became of it.
struct MgwImportNote
{
    SourceLocation where;   // in the MGW project (file relative to it, or absolute for --conf)
    QString what;           // "[[jwtTokenConfig]] issuer https://localhost:9443/oauth2/token"
    QString why;            // why it is not (fully) carried over, and what to do instead
};

struct MgwImportResult
{
    QString outDir;                  // absolute
    QStringList files;               // written, relative to outDir, sorted
    QStringList carried;             // one sentence per part carried over
    QList<MgwImportNote> notCarried; // what was left behind and why
    Diagnostics check;               // the imported project loaded and compiled, as `gatehoused check`

    QString reportMarkdown() const;  // IMPORT-REPORT.md
};

// Reads the MGW project (and the runtime configuration), refusing hostile or broken input with
// diagnostics at file:line:col before anything is written; then writes the Gatehouse project to
// options.outDir (gatehouse.yaml, apis/, protos/, keys/ for secrets found in micro-gw.conf with
// mode 0600, IMPORT-REPORT.md) and checks it. Errors of that check are in result.check.
Result<MgwImportResult> importMgwProject(const MgwImportOptions &options, Diagnostics &diagnostics);

} // namespace Gatehouse

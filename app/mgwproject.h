// MgwProject: recognises a WSO2 API Microgateway 3.x project folder and says (then does) what it
// takes to open it as a Gatehouse project, without touching MGW's own files.
#pragma once

#include <QString>
#include <QStringList>

namespace Gatehouse {

struct MgwLayout
{
    QString dir;                  // absolute
    QString apiDir;               // "api_definitions" or "apis"; empty = none
    QStringList apiFiles;         // OpenAPI files in apiDir, relative to dir
    int wso2ApiFiles = 0;         // how many of them use x-wso2-* extensions
    QString grpcDir;              // "grpc_definitions" when present
    QString deploymentConfig;     // "conf/deployment-config.toml" when present
    QString policies;             // "policies.yaml" when present
    QStringList interceptors;     // files under interceptors/, relative to dir
    bool hasGatehouseYaml = false;
    int httpPort = 0;             // [listenerConfig] of deployment-config.toml; 0 = not set
    int httpsPort = 0;

    // An MGW project: OpenAPI files, plus x-wso2-* extensions, policies.yaml or conf/.
    bool isMgw() const;
    // Opening needs files written: apis/ and protos/ as links to MGW's folders, and a
    // gatehouse.yaml that imports policies.yaml and takes the listener ports.
    bool needsConversion() const;
    // One sentence per file conversion would write, and per part of MGW that is not carried over.
    QStringList plannedChanges() const;
    QStringList notCarriedOver() const;
};

// Looks at the folder only (reads the API files to spot x-wso2-*); never writes.
MgwLayout detectMgwLayout(const QString &dir);

// The gatehouse.yaml conversion writes, as text with a comment saying where it came from.
QByteArray mgwGatehouseYaml(const MgwLayout &layout);

// Writes what plannedChanges() lists. Existing files are never replaced. Returns false with a
// sentence in `error` when a file cannot be written.
bool convertMgwProject(const MgwLayout &layout, QString *error);

} // namespace Gatehouse

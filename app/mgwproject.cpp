// MgwProject: the MGW 3.x layout (api_definitions/, grpc_definitions/, conf/deployment-config.toml,
// policies.yaml, interceptors/) mapped onto a Gatehouse project by links and one gatehouse.yaml.
#include "mgwproject.h"

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSaveFile>

namespace Gatehouse {

namespace {

QString tr(const char *text, const char *disambiguation = nullptr, int n = -1)
{
    return QCoreApplication::translate("Gatehouse::MgwProject", text, disambiguation, n);
}

bool exists(const QString &dir, const QString &relative)
{
    return QFileInfo::exists(dir + u'/' + relative);
}

// [listenerConfig] httpPort / httpsPort: the only deployment settings that map one to one.
void readDeploymentConfig(MgwLayout &layout)
{
    QFile file(layout.dir + u'/' + layout.deploymentConfig);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text))
        return;
    static const QRegularExpression keyValue(QStringLiteral("^\\s*([A-Za-z0-9_]+)\\s*=\\s*\"?([^\"#]*)\"?"));
    QString section;
    while (!file.atEnd()) {
        const QString line = QString::fromUtf8(file.readLine()).trimmed();
        if (line.startsWith(u'[')) {
            section = line.mid(1, line.indexOf(u']') - 1).trimmed();
            continue;
        }
        const QRegularExpressionMatch m = keyValue.match(line);
        if (!m.hasMatch() || section != u"listenerConfig")
            continue;
        const int port = m.captured(2).trimmed().toInt();
        if (port <= 0 || port > 65535)
            continue;
        if (m.captured(1) == u"httpPort")
            layout.httpPort = port;
        else if (m.captured(1) == u"httpsPort")
            layout.httpsPort = port;
    }
}

} // namespace

bool MgwLayout::isMgw() const
{
    return !apiFiles.isEmpty()
           && (wso2ApiFiles > 0 || !policies.isEmpty() || !deploymentConfig.isEmpty()
               || apiDir == u"api_definitions");
}

bool MgwLayout::needsConversion() const
{
    return apiDir != u"apis" || (!grpcDir.isEmpty() && !exists(dir, QStringLiteral("protos")))
           || (!hasGatehouseYaml && (!policies.isEmpty() || httpPort > 0 || httpsPort > 0));
}

QStringList MgwLayout::plannedChanges() const
{
    QStringList out;
    if (apiDir != u"apis")
        out.append(tr("apis/ as a link to %1/ (the APIs stay where MGW keeps them)").arg(apiDir));
    if (!grpcDir.isEmpty() && !exists(dir, QStringLiteral("protos")))
        out.append(tr("protos/ as a link to %1/").arg(grpcDir));
    if (!hasGatehouseYaml && (!policies.isEmpty() || httpPort > 0 || httpsPort > 0)) {
        QStringList what;
        if (!policies.isEmpty())
            what.append(tr("imports the tiers of %1").arg(policies));
        if (httpPort > 0 || httpsPort > 0)
            what.append(tr("takes the listener ports of %1").arg(deploymentConfig));
        out.append(tr("gatehouse.yaml, which %1").arg(what.join(tr(" and "))));
    }
    return out;
}

QStringList MgwLayout::notCarriedOver() const
{
    QStringList out;
    if (!interceptors.isEmpty()) {
        out.append(tr("%n interceptor file(s) under interceptors/: MGW's Ballerina and Java "
                      "interceptors need rewriting as Lua or native policies", nullptr,
                      int(interceptors.size())));
    }
    if (!deploymentConfig.isEmpty()) {
        out.append(tr("the rest of %1 (key managers, JWT issuers, analytics): set them in "
                      "gatehouse.yaml").arg(deploymentConfig));
    }
    return out;
}

MgwLayout detectMgwLayout(const QString &dir)
{
    MgwLayout layout;
    layout.dir = QFileInfo(dir).absoluteFilePath();
    // apis/ first: once converted, it is the link to api_definitions/.
    for (const QString &candidate : {QStringLiteral("apis"), QStringLiteral("api_definitions")}) {
        const QDir apis(layout.dir + u'/' + candidate);
        if (!apis.exists())
            continue;
        layout.apiDir = candidate;
        const QStringList files = apis.entryList({QStringLiteral("*.yaml"), QStringLiteral("*.yml"),
                                                  QStringLiteral("*.json")},
                                                 QDir::Files, QDir::Name);
        for (const QString &name : files) {
            layout.apiFiles.append(candidate + u'/' + name);
            QFile file(apis.filePath(name));
            // A key, not a mention in a comment: `x-wso2-basePath:` or `"x-wso2-basePath":`.
            static const QRegularExpression wso2Key(QStringLiteral("^[ \\t{,]*\"?x-wso2-[A-Za-z-]+\"?\\s*:"),
                                                    QRegularExpression::MultilineOption);
            if (file.open(QIODevice::ReadOnly)
                && wso2Key.match(QString::fromUtf8(file.readAll())).hasMatch())
                ++layout.wso2ApiFiles;
        }
        break;
    }
    if (exists(layout.dir, QStringLiteral("grpc_definitions")))
        layout.grpcDir = QStringLiteral("grpc_definitions");
    if (exists(layout.dir, QStringLiteral("conf/deployment-config.toml"))) {
        layout.deploymentConfig = QStringLiteral("conf/deployment-config.toml");
        readDeploymentConfig(layout);
    }
    if (exists(layout.dir, QStringLiteral("policies.yaml")))
        layout.policies = QStringLiteral("policies.yaml");
    QDirIterator it(layout.dir + QStringLiteral("/interceptors"), QDir::Files,
                    QDirIterator::Subdirectories);
    while (it.hasNext())
        layout.interceptors.append(QDir(layout.dir).relativeFilePath(it.next()));
    layout.interceptors.sort();
    layout.hasGatehouseYaml = exists(layout.dir, QStringLiteral("gatehouse.yaml"))
                              || exists(layout.dir, QStringLiteral("gatehouse.yml"));
    return layout;
}

QByteArray mgwGatehouseYaml(const MgwLayout &layout)
{
    QString yaml = QStringLiteral(
        "# Written by Gatehouse when it opened this WSO2 API Microgateway 3.x project; MGW's own\n"
        "# files are unchanged. Every key is optional (docs/configuration.md lists them all).\n"
        "version: 1\n"
        "name: %1\n").arg(QFileInfo(layout.dir).fileName());
    if (layout.httpPort > 0 || layout.httpsPort > 0) {
        yaml += QStringLiteral("\n# From [listenerConfig] in %1.\nlisteners:\n").arg(layout.deploymentConfig);
        if (layout.httpPort > 0)
            yaml += QStringLiteral("  http:\n    port: %1\n").arg(layout.httpPort);
        if (layout.httpsPort > 0)
            yaml += QStringLiteral("  https:\n    port: %1\n").arg(layout.httpsPort);
    }
    if (!layout.policies.isEmpty()) {
        yaml += QStringLiteral("\n# MGW's resource, application and subscription policies become tiers.\n"
                               "throttling:\n  import: [%1]\n").arg(layout.policies);
    }
    return yaml.toUtf8();
}

bool convertMgwProject(const MgwLayout &layout, QString *error)
{
    auto fail = [&](const QString &message) {
        if (error)
            *error = message;
        return false;
    };
    auto link = [&](const QString &target, const QString &name) {
        const QString path = layout.dir + u'/' + name;
        if (QFileInfo::exists(path))
            return true;
        // Relative, so the folder can move; a link (not a copy) keeps one version of every file.
        return QFile::link(target, path);
    };
    if (layout.apiDir != u"apis" && !link(layout.apiDir, QStringLiteral("apis")))
        return fail(tr("cannot create apis/ in %1").arg(layout.dir));
    if (!layout.grpcDir.isEmpty() && !link(layout.grpcDir, QStringLiteral("protos")))
        return fail(tr("cannot create protos/ in %1").arg(layout.dir));
    if (!layout.hasGatehouseYaml
        && (!layout.policies.isEmpty() || layout.httpPort > 0 || layout.httpsPort > 0)) {
        QSaveFile file(layout.dir + QStringLiteral("/gatehouse.yaml"));
        if (!file.open(QIODevice::WriteOnly) || file.write(mgwGatehouseYaml(layout)) < 0
            || !file.commit())
            return fail(tr("cannot write gatehouse.yaml: %1").arg(file.errorString()));
    }
    return true;
}

} // namespace Gatehouse

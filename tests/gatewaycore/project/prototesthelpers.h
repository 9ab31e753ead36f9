// Helpers shared by the .proto loader tests: data paths, lookups, and one-line descriptions of
// services and methods so that table rows compare readable text.
#pragma once

#include "project/grpcmodel.h"

#include <QFile>
#include <QTest>

namespace Gatehouse::ProtoTest {

inline QString dataDir(const QString &project)
{
    return QFINDTESTDATA(QStringLiteral("data/proto/") + project);
}

inline QString sourceDir()
{
    const QString fromEnv = qEnvironmentVariable("GATEHOUSE_SOURCE_DIR");
    return fromEnv.isEmpty() ? QFINDTESTDATA("../../../resources/..") : fromEnv;
}

inline QString corpusDir()
{
    return qEnvironmentVariable("GATEHOUSE_CORPUS");
}

inline const GrpcService *findService(const ProtoSet &set, const QString &fullName)
{
    for (const GrpcService &service : set.services) {
        if (service.fullName == fullName)
            return &service;
    }
    return nullptr;
}

inline const GrpcMethod *findMethod(const GrpcService &service, const QString &name)
{
    for (const GrpcMethod &method : service.methods) {
        if (method.name == name)
            return &method;
    }
    return nullptr;
}

inline QString strategyName(EndpointStrategy strategy)
{
    switch (strategy) {
    case EndpointStrategy::Single: return QStringLiteral("single");
    case EndpointStrategy::LoadBalance: return QStringLiteral("load_balance");
    case EndpointStrategy::Failover: return QStringLiteral("failover");
    }
    return {};
}

inline QString describeEndpoints(const EndpointSet &set)
{
    if (set.isEmpty())
        return QStringLiteral("none");
    QStringList urls;
    for (const QUrl &url : set.urls)
        urls << url.toString();
    QString text = strategyName(set.strategy) + u' ' + urls.join(u',');
    if (set.timeout)
        text += QStringLiteral(" %1ms").arg(set.timeout->count());
    return text;
}

inline QString describeRule(const HttpRule &rule)
{
    QString text = rule.method + u' ' + rule.pathTemplate;
    if (!rule.body.isEmpty())
        text += QStringLiteral(" body=") + rule.body;
    if (!rule.responseBody.isEmpty())
        text += QStringLiteral(" response=") + rule.responseBody;
    for (const HttpRule &extra : rule.additionalBindings)
        text += QStringLiteral(" | ") + describeRule(extra);
    return text;
}

// One property of a service (method empty) or method, as text, so that table rows stay readable.
inline QString describe(const GrpcService &service, const GrpcMethod *method, const QString &property)
{
    if (!method) {
        if (property == u"security")
            return service.security.join(u',');
        if (property == u"tier")
            return service.throttlingTier;
        if (property == u"endpoints")
            return describeEndpoints(service.endpoints);
        if (property == u"sandbox")
            return describeEndpoints(service.sandboxEndpoints);
        if (property == u"file")
            return service.file;
        if (property == u"location")
            return service.location.toString();
        if (property == u"tierLocation")
            return service.throttlingTierLocation.toString();
        if (property == u"methods")
            return QString::number(service.methods.size());
    } else {
        if (property == u"scopes")
            return method->scopes.join(u',');
        if (property == u"tier")
            return method->throttlingTier;
        if (property == u"http")
            return method->httpRule ? describeRule(*method->httpRule) : QStringLiteral("none");
        if (property == u"types")
            return method->inputType + QStringLiteral(" -> ") + method->outputType;
        if (property == u"streaming")
            return QStringLiteral("%1 -> %2")
                .arg(method->clientStreaming ? u"stream" : u"unary",
                     method->serverStreaming ? u"stream" : u"unary");
        if (property == u"location")
            return method->location.toString();
        if (property == u"scopesLocation")
            return method->scopesLocation.toString();
        if (property == u"path")
            return method->path(service.fullName);
    }
    return QStringLiteral("?unknown property %1").arg(property);
}

inline QString readAll(const QString &path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

} // namespace Gatehouse::ProtoTest

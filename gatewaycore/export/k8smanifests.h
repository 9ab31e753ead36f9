// Kubernetes manifests for a bundle's image: Deployment (probes on the admin /health, resources,
// non-root read-only pod), Service, ConfigMap of the non-secret variables, Secret templates for
// what the export left out, a HorizontalPodAutoscaler, and Redis when rate limits are shared.
#pragma once

#include "environmentoverrides.h"

#include "base/result.h"

#include <QList>
#include <QString>
#include <QStringList>

#include <chrono>

namespace Gatehouse {

struct KubernetesOptions
{
    QString name;                          // DNS label: lower-case letters, digits, '-'
    QString image;                         // "gatehouse/petstore:latest"
    int replicas = 2;
    int maxReplicas = 10;                  // the autoscaler's ceiling
    quint16 httpPort = 0;                  // 0 = listener disabled
    quint16 httpsPort = 0;
    quint16 adminPort = 0;
    std::chrono::seconds drainTimeout{10};
    QList<EnvironmentVariable> variables;  // from the bundle
    QStringList keyFiles;                  // secret files the pod mounts: "tls.crt", "tls.key", "apikey.pem"
    QString redisHost;                     // non-empty: a Redis Deployment and Service of this name
    quint16 redisPort = 6379;
};

// "Pet Store v1" -> "pet-store-v1" (at most 63 characters).
QString kubernetesName(const QString &text);

// The manifests, file name -> YAML text (deployment.yaml, service.yaml, configmap.yaml, secret.yaml,
// hpa.yaml, redis.yaml).
QList<QPair<QString, QByteArray>> kubernetesManifests(const KubernetesOptions &options);

// Writes them into `dir` (created when missing). Returns the files written.
Result<QStringList> writeKubernetesManifests(const KubernetesOptions &options, const QString &dir);

} // namespace Gatehouse

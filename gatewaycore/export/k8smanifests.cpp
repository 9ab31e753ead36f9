// Kubernetes manifests for a bundle's image, written as YAML text with every string quoted.
#include "k8smanifests.h"

#include "ociimage.h"

#include "base/savefile.h"

#include <QDir>
#include <QJsonDocument>
#include <QJsonArray>

namespace Gatehouse {

namespace {

const QString kSecretMount = QStringLiteral("/run/secrets/gatehouse");

// A double-quoted YAML scalar (JSON's string syntax is YAML's).
QString q(const QString &text)
{
    const QByteArray json = QJsonDocument(QJsonArray{text}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(json.mid(1, json.size() - 2));
}

QString labels(const KubernetesOptions &o, const QString &component, int indent)
{
    const QString pad(indent, u' ');
    return QStringLiteral("%1app.kubernetes.io/name: %2\n%1app.kubernetes.io/component: %3\n"
                          "%1app.kubernetes.io/managed-by: \"gatehoused-export\"\n")
        .arg(pad, q(o.name), q(component));
}

QString metadata(const KubernetesOptions &o, const QString &name, const QString &component)
{
    return QStringLiteral("metadata:\n  name: %1\n  labels:\n%2").arg(q(name), labels(o, component, 4));
}

QString ports(const KubernetesOptions &o, const QString &indent, bool container)
{
    QString out;
    const QList<QPair<QString, quint16>> list{{QStringLiteral("http"), o.httpPort},
                                              {QStringLiteral("https"), o.httpsPort},
                                              {QStringLiteral("admin"), o.adminPort}};
    for (const auto &[name, port] : list) {
        if (port == 0 || (!container && name == u"admin"))
            continue;
        out += container ? QStringLiteral("%1- name: %2\n%1  containerPort: %3\n%1  protocol: \"TCP\"\n")
                               .arg(indent, q(name)).arg(port)
                         : QStringLiteral("%1- name: %2\n%1  port: %3\n%1  targetPort: %2\n%1  protocol: \"TCP\"\n")
                               .arg(indent, q(name)).arg(port);
    }
    return out;
}

QByteArray deployment(const KubernetesOptions &o)
{
    QString env;
    auto keyVariable = [&](const QString &variable, const QString &file) {
        if (o.keyFiles.contains(file))
            env += QStringLiteral("            - name: %1\n              value: %2\n").arg(q(variable), q(kSecretMount + u'/' + file));
    };
    if (o.keyFiles.contains(QStringLiteral("tls.crt")) && o.keyFiles.contains(QStringLiteral("tls.key"))) {
        keyVariable(QStringLiteral("GATEHOUSE_TLS_CERTIFICATE"), QStringLiteral("tls.crt"));
        keyVariable(QStringLiteral("GATEHOUSE_TLS_PRIVATE_KEY"), QStringLiteral("tls.key"));
    }
    keyVariable(QStringLiteral("GATEHOUSE_APIKEY_PRIVATE_KEY"), QStringLiteral("apikey.pem"));
    const QString probe = QStringLiteral("httpGet:\n              path: \"/health\"\n              port: \"admin\"\n");
    QString t = QStringLiteral("apiVersion: \"apps/v1\"\nkind: \"Deployment\"\n") + metadata(o, o.name, QStringLiteral("gateway"));
    t += QStringLiteral("spec:\n  replicas: %1\n  selector:\n    matchLabels:\n      app.kubernetes.io/name: %2\n"
                        "  template:\n    metadata:\n      labels:\n%3"
                        "      annotations:\n        prometheus.io/scrape: \"true\"\n        prometheus.io/port: \"%4\"\n"
                        "        prometheus.io/path: \"/metrics\"\n")
             .arg(o.replicas).arg(q(o.name), labels(o, QStringLiteral("gateway"), 8)).arg(o.adminPort);
    t += QStringLiteral("    spec:\n      terminationGracePeriodSeconds: %1\n      automountServiceAccountToken: false\n"
                        "      securityContext:\n        runAsNonRoot: true\n        runAsUser: %2\n        runAsGroup: %2\n"
                        "        fsGroup: %2\n        seccompProfile:\n          type: \"RuntimeDefault\"\n"
                        "      containers:\n        - name: \"gatehoused\"\n          image: %3\n"
                        "          imagePullPolicy: \"IfNotPresent\"\n          ports:\n%4")
             .arg(o.drainTimeout.count() + 5).arg(kImageUid).arg(q(o.image), ports(o, QStringLiteral("            "), true));
    t += QStringLiteral("          envFrom:\n            - configMapRef:\n                name: %1\n"
                        "            - secretRef:\n                name: %2\n")
             .arg(q(o.name + QStringLiteral("-config")), q(o.name + QStringLiteral("-secrets")));
    if (!env.isEmpty())
        t += QStringLiteral("          env:\n") + env;
    t += QStringLiteral("          readinessProbe:\n            %1            periodSeconds: 5\n            failureThreshold: 3\n"
                        "          livenessProbe:\n            %1            initialDelaySeconds: 10\n            periodSeconds: 10\n"
                        "            failureThreshold: 3\n")
             .arg(probe);
    t += QStringLiteral("          resources:\n            requests:\n              cpu: \"250m\"\n              memory: \"128Mi\"\n"
                        "            limits:\n              cpu: \"2\"\n              memory: \"512Mi\"\n"
                        "          securityContext:\n            allowPrivilegeEscalation: false\n"
                        "            readOnlyRootFilesystem: true\n            runAsNonRoot: true\n"
                        "            capabilities:\n              drop: [\"ALL\"]\n"
                        "          volumeMounts:\n            - name: \"tmp\"\n              mountPath: \"/tmp\"\n");
    if (!o.keyFiles.isEmpty())
        t += QStringLiteral("            - name: \"keys\"\n              mountPath: %1\n              readOnly: true\n").arg(q(kSecretMount));
    t += QStringLiteral("      volumes:\n        - name: \"tmp\"\n          emptyDir: {}\n");
    if (!o.keyFiles.isEmpty())
        t += QStringLiteral("        - name: \"keys\"\n          secret:\n            secretName: %1\n").arg(q(o.name + QStringLiteral("-keys")));
    return t.toUtf8();
}

QByteArray service(const KubernetesOptions &o)
{
    return (QStringLiteral("apiVersion: \"v1\"\nkind: \"Service\"\n") + metadata(o, o.name, QStringLiteral("gateway"))
            + QStringLiteral("spec:\n  type: \"ClusterIP\"\n  selector:\n    app.kubernetes.io/name: %1\n  ports:\n%2")
                  .arg(q(o.name), ports(o, QStringLiteral("    "), false)))
        .toUtf8();
}

QByteArray configMap(const KubernetesOptions &o)
{
    QString t = QStringLiteral("apiVersion: \"v1\"\nkind: \"ConfigMap\"\n") + metadata(o, o.name + QStringLiteral("-config"), QStringLiteral("gateway"))
                + QStringLiteral("data:\n");
    for (const EnvironmentVariable &v : o.variables) {
        if (v.secret || v.name.startsWith(QStringLiteral("GATEHOUSE_TLS_")) || v.name == u"GATEHOUSE_APIKEY_PRIVATE_KEY")
            continue;
        // Probes come from the kubelet, not from loopback.
        const QString value = v.name == u"GATEHOUSE_ADMIN_ADDRESS" ? QStringLiteral("0.0.0.0") : v.defaultValue;
        t += QStringLiteral("  # %1\n  %2: %3\n").arg(v.meaning, v.name, q(value));
    }
    return t.toUtf8();
}

QByteArray secrets(const KubernetesOptions &o)
{
    QString t = QStringLiteral("# Templates: fill in the values (or create the Secrets with kubectl) before applying.\n"
                               "apiVersion: \"v1\"\nkind: \"Secret\"\n")
                + metadata(o, o.name + QStringLiteral("-secrets"), QStringLiteral("gateway"))
                + QStringLiteral("type: \"Opaque\"\nstringData:\n");
    int count = 0;
    for (const EnvironmentVariable &v : o.variables) {
        if (v.secret) {
            t += QStringLiteral("  # %1\n  %2: \"\"\n").arg(v.meaning, v.name);
            ++count;
        }
    }
    if (count == 0)
        t += QStringLiteral("  {}\n");
    if (!o.keyFiles.isEmpty()) {
        t += QStringLiteral("---\n# Key files left out of the bundle (PEM), mounted at %1.\napiVersion: \"v1\"\nkind: \"Secret\"\n")
                 .arg(kSecretMount)
             + metadata(o, o.name + QStringLiteral("-keys"), QStringLiteral("gateway")) + QStringLiteral("type: \"Opaque\"\nstringData:\n");
        for (const QString &file : o.keyFiles)
            t += QStringLiteral("  %1: \"\"\n").arg(q(file));
    }
    return t.toUtf8();
}

QByteArray autoscaler(const KubernetesOptions &o)
{
    return (QStringLiteral("apiVersion: \"autoscaling/v2\"\nkind: \"HorizontalPodAutoscaler\"\n") + metadata(o, o.name, QStringLiteral("gateway"))
            + QStringLiteral("spec:\n  scaleTargetRef:\n    apiVersion: \"apps/v1\"\n    kind: \"Deployment\"\n    name: %1\n"
                             "  minReplicas: %2\n  maxReplicas: %3\n  metrics:\n    - type: \"Resource\"\n      resource:\n"
                             "        name: \"cpu\"\n        target:\n          type: \"Utilization\"\n          averageUtilization: 70\n")
                  .arg(q(o.name))
                  .arg(o.replicas)
                  .arg(qMax(o.replicas, o.maxReplicas)))
        .toUtf8();
}

QByteArray redis(const KubernetesOptions &o)
{
    const QString name = o.redisHost.section(u'.', 0, 0);
    QString t = QStringLiteral("# Shared rate-limit counters (throttling.store). Use a managed Redis in production.\n"
                               "apiVersion: \"apps/v1\"\nkind: \"Deployment\"\n")
                + metadata(o, name, QStringLiteral("redis"));
    t += QStringLiteral("spec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app.kubernetes.io/name: %1\n"
                        "  template:\n    metadata:\n      labels:\n        app.kubernetes.io/name: %1\n    spec:\n"
                        "      securityContext:\n        runAsNonRoot: true\n        runAsUser: 999\n"
                        "      containers:\n        - name: \"redis\"\n          image: \"redis:7\"\n          ports:\n"
                        "            - name: \"redis\"\n              containerPort: %2\n"
                        "          readinessProbe:\n            tcpSocket:\n              port: \"redis\"\n"
                        "          livenessProbe:\n            tcpSocket:\n              port: \"redis\"\n"
                        "          resources:\n            requests:\n              cpu: \"100m\"\n              memory: \"64Mi\"\n"
                        "            limits:\n              memory: \"256Mi\"\n")
             .arg(q(name)).arg(o.redisPort);
    t += QStringLiteral("---\napiVersion: \"v1\"\nkind: \"Service\"\n") + metadata(o, name, QStringLiteral("redis"))
         + QStringLiteral("spec:\n  selector:\n    app.kubernetes.io/name: %1\n  ports:\n    - name: \"redis\"\n"
                          "      port: %2\n      targetPort: \"redis\"\n")
               .arg(q(name)).arg(o.redisPort);
    return t.toUtf8();
}

} // namespace

QString kubernetesName(const QString &text)
{
    QString out;
    for (const QChar c : text.toLower()) {
        if ((c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9'))
            out += c;
        else if (!out.endsWith(u'-') && !out.isEmpty())
            out += u'-';
    }
    while (out.endsWith(u'-'))
        out.chop(1);
    out = out.left(63);
    while (out.endsWith(u'-'))
        out.chop(1);
    return out.isEmpty() ? QStringLiteral("gatehouse") : out;
}

QList<QPair<QString, QByteArray>> kubernetesManifests(const KubernetesOptions &o)
{
    QList<QPair<QString, QByteArray>> out{{QStringLiteral("deployment.yaml"), deployment(o)},
                                          {QStringLiteral("service.yaml"), service(o)},
                                          {QStringLiteral("configmap.yaml"), configMap(o)},
                                          {QStringLiteral("secret.yaml"), secrets(o)},
                                          {QStringLiteral("hpa.yaml"), autoscaler(o)}};
    if (!o.redisHost.isEmpty())
        out.append({QStringLiteral("redis.yaml"), redis(o)});
    return out;
}

Result<QStringList> writeKubernetesManifests(const KubernetesOptions &options, const QString &dir)
{
    if (!QDir().mkpath(dir))
        return Error::io(QStringLiteral("cannot create %1").arg(dir));
    QStringList written;
    for (const auto &[file, text] : kubernetesManifests(options)) {
        if (auto saved = saveFile(dir + u'/' + file, text); !saved)
            return saved.error();
        written.append(file);
    }
    return written;
}

} // namespace Gatehouse

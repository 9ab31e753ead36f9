// Kubernetes manifests of a bundle: every file parses as YAML (yaml-cpp), every object has the
// fields its kind requires, and the objects name each other consistently.
#include "export/k8smanifests.h"

#include <QTest>

#include <yaml-cpp/yaml.h>

#include <map>

using namespace Gatehouse;

namespace {

KubernetesOptions sampleOptions()
{
    KubernetesOptions o;
    o.name = QStringLiteral("petstore");
    o.image = QStringLiteral("gatehouse/petstore:latest");
    o.httpPort = 9090;
    o.httpsPort = 9095;
    o.adminPort = 9096;
    o.drainTimeout = std::chrono::seconds(15);
    o.keyFiles = {QStringLiteral("tls.crt"), QStringLiteral("tls.key"), QStringLiteral("apikey.pem")};
    o.variables = {{QStringLiteral("GATEHOUSE_HTTP_PORT"), QStringLiteral("HTTP listener port"), QStringLiteral("9090")},
                   {QStringLiteral("GATEHOUSE_ADMIN_ADDRESS"), QStringLiteral("admin address"), QStringLiteral("127.0.0.1")},
                   {QStringLiteral("GATEHOUSE_API_PETSTORE_ENDPOINTS"), QStringLiteral("upstream: a, b"), QStringLiteral("http://x:8080/api")},
                   {QStringLiteral("GATEHOUSE_TLS_CERTIFICATE"), QStringLiteral("cert"), QStringLiteral("keys/tls.crt")},
                   {QStringLiteral("GATEHOUSE_USER_DEMO_PASSWORD_HASH"), QStringLiteral("secret for security.users[demo]"), {}, true},
                   {QStringLiteral("GATEHOUSE_ADMIN_PASSWORD"), QStringLiteral("secret for security.users[admin]"), {}, true}};
    return o;
}

// kind (plus "-N" for a second object of the same kind) -> parsed object
std::map<std::string, YAML::Node> parseAll(const KubernetesOptions &o, QStringList *files = nullptr)
{
    std::map<std::string, YAML::Node> out;
    for (const auto &[file, text] : kubernetesManifests(o)) {
        if (files)
            files->append(file);
        for (const YAML::Node &doc : YAML::LoadAll(text.toStdString())) {
            std::string key = doc["kind"].as<std::string>();
            while (out.count(key))
                key += "+";
            out[key] = doc;
        }
    }
    return out;
}

std::string str(const YAML::Node &n)
{
    return n.IsScalar() ? n.as<std::string>() : std::string();
}

} // namespace

class tst_K8sManifests : public QObject
{
    Q_OBJECT
private slots:
    void everyObjectHasTheRequiredFields();
    void deploymentRunsTheImageSafely();
    void probesAskTheAdminHealth();
    void objectsNameEachOther();
    void configMapHoldsOnlyNonSecretSettings();
    void secretTemplateListsTheNamesWithoutValues();
    void redisOnlyWhenCountersAreShared();
    void namesAreDnsLabels_data();
    void namesAreDnsLabels();
};

void tst_K8sManifests::everyObjectHasTheRequiredFields()
{
    QStringList files;
    const auto objects = parseAll(sampleOptions(), &files);
    QCOMPARE(files, (QStringList{QStringLiteral("deployment.yaml"), QStringLiteral("service.yaml"), QStringLiteral("configmap.yaml"),
                                 QStringLiteral("secret.yaml"), QStringLiteral("hpa.yaml")}));
    for (const auto &[kind, o] : objects) {
        QVERIFY2(!str(o["apiVersion"]).empty(), kind.c_str());
        QVERIFY2(!str(o["metadata"]["name"]).empty(), kind.c_str());
        QVERIFY2(str(o["metadata"]["labels"]["app.kubernetes.io/name"]) == "petstore", kind.c_str());
    }
    for (const char *kind : {"Deployment", "Service", "ConfigMap", "Secret", "Secret+", "HorizontalPodAutoscaler"})
        QVERIFY2(objects.count(kind), kind);
    QCOMPARE(str(objects.at("Deployment")["apiVersion"]), std::string("apps/v1"));
    QCOMPARE(str(objects.at("HorizontalPodAutoscaler")["apiVersion"]), std::string("autoscaling/v2"));
}

void tst_K8sManifests::deploymentRunsTheImageSafely()
{
    const YAML::Node d = parseAll(sampleOptions()).at("Deployment");
    QCOMPARE(d["spec"]["replicas"].as<int>(), 2);
    const YAML::Node pod = d["spec"]["template"]["spec"];
    QVERIFY(pod["securityContext"]["runAsNonRoot"].as<bool>());
    QCOMPARE(pod["securityContext"]["runAsUser"].as<int>(), 10001);
    QCOMPARE(pod["terminationGracePeriodSeconds"].as<int>(), 20);
    const YAML::Node c = pod["containers"][0];
    QCOMPARE(str(c["image"]), std::string("gatehouse/petstore:latest"));
    QVERIFY(c["securityContext"]["readOnlyRootFilesystem"].as<bool>());
    QVERIFY(!c["securityContext"]["allowPrivilegeEscalation"].as<bool>());
    QCOMPARE(str(c["securityContext"]["capabilities"]["drop"][0]), std::string("ALL"));
    QVERIFY(!str(c["resources"]["requests"]["cpu"]).empty());
    QVERIFY(!str(c["resources"]["requests"]["memory"]).empty());
    QVERIFY(!str(c["resources"]["limits"]["memory"]).empty());
    std::map<std::string, int> ports;
    for (const YAML::Node &p : c["ports"])
        ports[str(p["name"])] = p["containerPort"].as<int>();
    QCOMPARE(ports, (std::map<std::string, int>{{"admin", 9096}, {"http", 9090}, {"https", 9095}}));
    std::map<std::string, std::string> env;
    for (const YAML::Node &e : c["env"])
        env[str(e["name"])] = str(e["value"]);
    QCOMPARE(env["GATEHOUSE_TLS_PRIVATE_KEY"], std::string("/run/secrets/gatehouse/tls.key"));
    QCOMPARE(env["GATEHOUSE_APIKEY_PRIVATE_KEY"], std::string("/run/secrets/gatehouse/apikey.pem"));
    bool tmpMounted = false;
    for (const YAML::Node &m : c["volumeMounts"])
        tmpMounted = tmpMounted || str(m["mountPath"]) == "/tmp";
    QVERIFY2(tmpMounted, "a read-only root needs a writable /tmp");
}

void tst_K8sManifests::probesAskTheAdminHealth()
{
    const YAML::Node c = parseAll(sampleOptions()).at("Deployment")["spec"]["template"]["spec"]["containers"][0];
    for (const char *probe : {"readinessProbe", "livenessProbe"}) {
        QCOMPARE(str(c[probe]["httpGet"]["path"]), std::string("/health"));
        QCOMPARE(str(c[probe]["httpGet"]["port"]), std::string("admin"));
        QVERIFY(c[probe]["periodSeconds"].as<int>() > 0);
    }
}

void tst_K8sManifests::objectsNameEachOther()
{
    const auto objects = parseAll(sampleOptions());
    const YAML::Node d = objects.at("Deployment");
    const std::string name = str(d["metadata"]["name"]);
    QCOMPARE(str(d["spec"]["selector"]["matchLabels"]["app.kubernetes.io/name"]),
             str(d["spec"]["template"]["metadata"]["labels"]["app.kubernetes.io/name"]));
    QCOMPARE(str(objects.at("Service")["spec"]["selector"]["app.kubernetes.io/name"]),
             str(d["spec"]["selector"]["matchLabels"]["app.kubernetes.io/name"]));
    QCOMPARE(str(objects.at("HorizontalPodAutoscaler")["spec"]["scaleTargetRef"]["name"]), name);
    QVERIFY(objects.at("HorizontalPodAutoscaler")["spec"]["maxReplicas"].as<int>()
            >= objects.at("HorizontalPodAutoscaler")["spec"]["minReplicas"].as<int>());
    const YAML::Node c = d["spec"]["template"]["spec"]["containers"][0];
    QCOMPARE(str(c["envFrom"][0]["configMapRef"]["name"]), str(objects.at("ConfigMap")["metadata"]["name"]));
    QCOMPARE(str(c["envFrom"][1]["secretRef"]["name"]), str(objects.at("Secret")["metadata"]["name"]));
    QCOMPARE(str(d["spec"]["template"]["spec"]["volumes"][1]["secret"]["secretName"]), str(objects.at("Secret+")["metadata"]["name"]));
    std::map<std::string, std::string> servicePorts;
    for (const YAML::Node &p : objects.at("Service")["spec"]["ports"])
        servicePorts[str(p["name"])] = str(p["targetPort"]);
    QCOMPARE(servicePorts, (std::map<std::string, std::string>{{"http", "http"}, {"https", "https"}}));
}

void tst_K8sManifests::configMapHoldsOnlyNonSecretSettings()
{
    const YAML::Node data = parseAll(sampleOptions()).at("ConfigMap")["data"];
    QCOMPARE(str(data["GATEHOUSE_HTTP_PORT"]), std::string("9090"));
    QCOMPARE(str(data["GATEHOUSE_ADMIN_ADDRESS"]), std::string("0.0.0.0"));
    QCOMPARE(str(data["GATEHOUSE_API_PETSTORE_ENDPOINTS"]), std::string("http://x:8080/api"));
    QVERIFY(!data["GATEHOUSE_USER_DEMO_PASSWORD_HASH"]);
    QVERIFY2(!data["GATEHOUSE_TLS_CERTIFICATE"], "key paths come from the keys Secret's mount");
}

void tst_K8sManifests::secretTemplateListsTheNamesWithoutValues()
{
    const auto objects = parseAll(sampleOptions());
    const YAML::Node env = objects.at("Secret")["stringData"];
    QCOMPARE(env.size(), size_t(2));
    QCOMPARE(str(env["GATEHOUSE_USER_DEMO_PASSWORD_HASH"]), std::string());
    QVERIFY(env["GATEHOUSE_ADMIN_PASSWORD"].IsScalar());
    const YAML::Node keys = objects.at("Secret+")["stringData"];
    QCOMPARE(keys.size(), size_t(3));
    QVERIFY(keys["apikey.pem"].IsScalar());
}

void tst_K8sManifests::redisOnlyWhenCountersAreShared()
{
    QVERIFY(!parseAll(sampleOptions()).count("Deployment+"));
    KubernetesOptions o = sampleOptions();
    o.redisHost = QStringLiteral("redis.shop.svc");
    const auto objects = parseAll(o);
    QCOMPARE(str(objects.at("Deployment+")["metadata"]["name"]), std::string("redis"));
    QCOMPARE(objects.at("Service+")["spec"]["ports"][0]["port"].as<int>(), 6379);
}

void tst_K8sManifests::namesAreDnsLabels_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<QString>("name");
    QTest::newRow("already a label") << QStringLiteral("petstore") << QStringLiteral("petstore");
    QTest::newRow("spaces and capitals") << QStringLiteral("Pet Store v1") << QStringLiteral("pet-store-v1");
    QTest::newRow("punctuation at the ends") << QStringLiteral("__shop.api__") << QStringLiteral("shop-api");
    QTest::newRow("nothing usable") << QStringLiteral("???") << QStringLiteral("gatehouse");
    QTest::newRow("too long") << QString(80, u'a') << QString(63, u'a');
}

void tst_K8sManifests::namesAreDnsLabels()
{
    QFETCH(QString, text);
    QFETCH(QString, name);
    QCOMPARE(kubernetesName(text), name);
}

QTEST_GUILESS_MAIN(tst_K8sManifests)
#include "tst_k8smanifests.moc"

// bench_body_policies [-n RUNS] [--only NAME]: what the body policies cost per request on a 10 KiB
// JSON body (an order with 40 line items): json-to-xml as the policy runs it (body bytes to XML
// bytes) and from an already parsed QJsonValue, validate-request (parse + schema check against a
// compiled OpenAPI 3.0 schema with $ref, formats, enums and patterns), the schema check alone, and
// xml-to-json of the XML produced. Median CPU time of this thread per call, and the ratio to the
// bare JSON parse (QJsonDocument::fromJson) measured in the same run. --only runs one of them
// (parse, json-to-xml, json-to-xml-value, validate, schema, xml-to-json), for callgrind: every
// call goes through benchCall(), see body-policies-callgrind.sh.
#include "policies/transform/jsonxml.h"
#include "policies/validate/jsonschema.h"
#include "policies/validate/operationschemas.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <functional>
#include <vector>

using namespace Gatehouse;

namespace {

double threadCpuUs()
{
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) * 1e6 + double(t.tv_nsec) / 1e3;
}

// One measured call; not inlined so that callgrind can count just these instructions.
Q_NEVER_INLINE void benchCall(const std::function<void()> &work)
{
    work();
}

QString g_only;   // --only NAME: measure just that one

// Median CPU microseconds of `runs` calls after a few warm-up calls.
double measure(const char *name, int runs, const std::function<void()> &work)
{
    if (!g_only.isEmpty() && g_only != QLatin1StringView(name))
        return 0;
    for (int i = 0; i < 20; ++i)
        benchCall(work);
    std::vector<double> cpu;
    cpu.reserve(size_t(runs));
    for (int i = 0; i < runs; ++i) {
        const double start = threadCpuUs();
        benchCall(work);
        cpu.push_back(threadCpuUs() - start);
    }
    std::sort(cpu.begin(), cpu.end());
    return cpu[cpu.size() / 2];
}

QByteArray orderBody(qsizetype targetBytes)
{
    QJsonArray items;
    QJsonObject order{{QStringLiteral("id"), QStringLiteral("123e4567-e89b-12d3-a456-426614174000")},
                      {QStringLiteral("customer"), QStringLiteral("jane.doe@example.com")},
                      {QStringLiteral("created"), QStringLiteral("2026-11-26T18:40:00Z")},
                      {QStringLiteral("status"), QStringLiteral("placed")}};
    for (int i = 0;; ++i) {
        items.append(QJsonObject{{QStringLiteral("sku"), QStringLiteral("SKU-%1").arg(100000 + i)},
                                 {QStringLiteral("name"), QStringLiteral("Item number %1 with a name").arg(i)},
                                 {QStringLiteral("quantity"), i % 7 + 1},
                                 {QStringLiteral("price"), 9.99 + i},
                                 {QStringLiteral("gift"), i % 3 == 0}});
        order.insert(QStringLiteral("items"), items);
        const QByteArray body = QJsonDocument(order).toJson(QJsonDocument::Compact);
        if (body.size() >= targetBytes)
            return body;
    }
}

const char *kSchema = R"({
  "$ref": "#/components/schemas/Order"
})";

const char *kDocument = R"({"components": {"schemas": {
  "Order": {"type": "object", "required": ["id", "customer", "items"], "additionalProperties": false,
    "properties": {
      "id": {"type": "string", "format": "uuid"},
      "customer": {"type": "string", "format": "email"},
      "created": {"type": "string", "format": "date-time"},
      "status": {"type": "string", "enum": ["placed", "paid", "shipped"]},
      "items": {"type": "array", "minItems": 1, "maxItems": 1000, "items": {"$ref": "#/components/schemas/Item"}}}},
  "Item": {"type": "object", "required": ["sku", "quantity", "price"],
    "properties": {
      "sku": {"type": "string", "pattern": "^SKU-[0-9]{6}$"},
      "name": {"type": "string", "maxLength": 200},
      "quantity": {"type": "integer", "format": "int32", "minimum": 1},
      "price": {"type": "number", "minimum": 0, "multipleOf": 0.01},
      "gift": {"type": "boolean"}}}}}})";

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    int runs = 2000;
    const QStringList args = app.arguments();
    for (qsizetype i = 1; i + 1 < args.size(); ++i) {
        if (args.at(i) == u"-n")
            runs = qMax(1, args.at(i + 1).toInt());
        else if (args.at(i) == u"--only")
            g_only = args.at(i + 1);
    }
    const QByteArray body = orderBody(10 * 1024);
    const QJsonValue document = QJsonDocument::fromJson(kDocument).object();
    const auto schema = JsonSchema::compile(QJsonDocument::fromJson(kSchema).object(),
                                            {SchemaDialect::OpenApi30, true}, document);
    if (!schema) {
        std::fprintf(stderr, "schema: %s\n", qPrintable(schema.error().message));
        return 1;
    }
    const QJsonValue parsed = *parseJsonBody(body, 64);
    if (!schema->validate(parsed, nullptr, {}, SchemaDirection::Request)) {
        std::fprintf(stderr, "the generated body does not match its schema\n");
        return 1;
    }
    const QByteArray xml = *jsonToXml(parsed, QStringLiteral("order"));
    if (*xmlBodyToJson(xml) != QJsonDocument(xmlToJson(xml)->toObject()).toJson(QJsonDocument::Compact)) {
        std::fprintf(stderr, "xmlBodyToJson and xmlToJson disagree\n");
        return 1;
    }
    if (*jsonBodyToXml(body, QStringLiteral("order")) != xml) {
        std::fprintf(stderr, "jsonBodyToXml and jsonToXml disagree\n");
        return 1;
    }

    volatile qsizetype sink = 0;
    const double parseUs = measure("parse", runs, [&] { sink = sink + QJsonDocument::fromJson(body).object().size(); });
    const double toXmlUs = measure("json-to-xml", runs, [&] { sink = sink + jsonBodyToXml(body, QStringLiteral("order"))->size(); });
    const double valueToXmlUs = measure("json-to-xml-value", runs, [&] {
        const Result<QJsonValue> json = parseJsonBody(body, 64);
        sink = sink + jsonToXml(*json, QStringLiteral("order"))->size();
    });
    const double validateUs = measure("validate", runs, [&] {
        const Result<QJsonValue> json = parseJsonBody(body, 64);
        sink = sink + schema->validate(*json, nullptr, {}, SchemaDirection::Request);
    });
    const double schemaOnlyUs = measure("schema", runs, [&] { sink = sink + schema->validate(parsed, nullptr, {}, SchemaDirection::Request); });
    const double toJsonUs = measure("xml-to-json", runs, [&] { sink = sink + xmlBodyToJson(xml)->size(); });
    if (!g_only.isEmpty())
        return 0;
    std::printf("body: %lld bytes JSON (%lld bytes as XML), %d runs, median CPU per call\n",
                qlonglong(body.size()), qlonglong(xml.size()), runs);
    std::printf("  reference: QJsonDocument::fromJson      %8.1f us\n", parseUs);
    std::printf("  json-to-xml (body bytes to XML bytes)   %8.1f us  (%.2fx the parse; target <= 50 us)\n", toXmlUs,
                toXmlUs / parseUs);
    std::printf("  parseJsonBody + jsonToXml(QJsonValue)   %8.1f us  (%.2fx the parse)\n", valueToXmlUs, valueToXmlUs / parseUs);
    std::printf("  validate-request body (parse + schema)  %8.1f us  (%.2fx the parse)\n", validateUs, validateUs / parseUs);
    std::printf("  schema check alone (%d nodes)           %8.1f us\n", schema->nodeCount(), schemaOnlyUs);
    std::printf("  xml-to-json of that XML (to JSON text)  %8.1f us  (%.2fx the parse)\n", toJsonUs, toJsonUs / parseUs);
    return 0;
}

// libFuzzer target: the Prometheus text and OpenMetrics writers with hostile names, label values,
// help texts and values. Whatever the bytes, every line must be a comment or a well-formed
// sample (quotes closed, only the escapes \\ \" \n), the document valid UTF-8, and no sample
// added or lost.
#include "telemetry/prometheuswriter.h"

#include <QByteArray>
#include <QList>
#include <QUtf8StringView>

#include <cstddef>
#include <cstdint>
#include <cstring>

using namespace Gatehouse;

namespace {

bool isNameChar(char c, bool first)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' || (!first && c >= '0' && c <= '9');
}

// name{label="value",...} value — the grammar both formats share for samples.
bool isSampleLine(QByteArrayView line)
{
    qsizetype i = 0;
    const qsizetype n = line.size();
    if (n == 0 || !isNameChar(line[0], true))
        return false;
    while (i < n && isNameChar(line[i], i == 0))
        ++i;
    if (i < n && line[i] == '{') {
        ++i;
        while (true) {
            const qsizetype start = i;
            while (i < n && isNameChar(line[i], i == start) && line[i] != ':')
                ++i;
            if (i == start || i + 1 >= n || line[i] != '=' || line[i + 1] != '"')
                return false;
            i += 2;
            while (i < n && line[i] != '"') {
                if (line[i] == '\\') {
                    if (i + 1 >= n || (line[i + 1] != '\\' && line[i + 1] != '"' && line[i + 1] != 'n'))
                        return false;
                    ++i;
                }
                ++i;
            }
            if (i >= n)
                return false;   // the quote never closed
            ++i;
            if (i < n && line[i] == ',') {
                ++i;
                continue;
            }
            if (i < n && line[i] == '}') {
                ++i;
                break;
            }
            return false;
        }
    }
    return i < n && line[i] == ' ' && i + 1 < n;
}

// Splits the input into pieces at 0xff bytes.
QList<QByteArray> pieces(const uint8_t *data, size_t size)
{
    return QByteArray(reinterpret_cast<const char *>(data), qsizetype(size)).split('\xff');
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    const uint8_t control = data[0];
    const QList<QByteArray> parts = pieces(data + 1, size - 1);
    MetricFamily family;
    family.type = MetricType(1 + control % 3);
    family.name = parts.value(0);
    family.help = parts.value(1);
    family.unit = (control & 0x08) ? QByteArray("seconds") : QByteArray();
    if (family.type == MetricType::Histogram)
        family.bounds = {0.001, 1, 1e300};
    double value = 0;
    if (parts.value(2).size() >= qsizetype(sizeof value))
        std::memcpy(&value, parts.value(2).constData(), sizeof value);   // NaN, infinities, denormals
    int series = 0;
    for (qsizetype i = 3; i + 1 < parts.size() && series < 8; i += 2, ++series) {
        MetricSeries s;
        s.labels = {{parts.at(i), parts.at(i + 1)}, {"fixed", parts.at(i + 1)}};
        s.value = value;
        s.sum = value;
        s.buckets = {1, 2, 2, quint64(series)};
        family.series.append(s);
    }
    const qsizetype samplesPerSeries = family.type == MetricType::Histogram ? qsizetype(family.bounds.size()) + 3 : 1;
    for (const ExpositionFormat format : {ExpositionFormat::PrometheusText, ExpositionFormat::OpenMetrics}) {
        const QByteArray out = writeExposition({family}, format);
        if (!QUtf8StringView(out).isValidUtf8() || !out.endsWith('\n'))
            __builtin_trap();
        qsizetype samples = 0;
        qsizetype comments = 0;
        for (const QByteArray &line : out.chopped(1).split('\n')) {
            if (line.startsWith("# HELP ") || line.startsWith("# TYPE ") || line.startsWith("# UNIT ") || line == "# EOF") {
                ++comments;
                continue;
            }
            if (!isSampleLine(line))
                __builtin_trap();
            ++samples;
        }
        // HELP and TYPE once, UNIT at most once, EOF in OpenMetrics: a help text cannot add any.
        if (samples != family.series.size() * samplesPerSeries
            || comments > 3 + (format == ExpositionFormat::OpenMetrics ? 1 : 0))
            __builtin_trap();
    }
    return 0;
}

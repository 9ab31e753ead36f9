// Prometheus text 0.0.4 and OpenMetrics 1.0 writers, and Accept negotiation between them.
#include "prometheuswriter.h"

#include "http/http1head.h"

#include <QString>

#include <charconv>
#include <cmath>

namespace Gatehouse {

namespace {

bool isNameChar(char c, bool first, bool colonAllowed)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_')
        return true;
    if (c == ':')
        return colonAllowed;
    return !first && c >= '0' && c <= '9';
}

void appendName(QByteArray &out, QByteArrayView name, bool colonAllowed)
{
    if (name.isEmpty()) {
        out.append('_');
        return;
    }
    for (qsizetype i = 0; i < name.size(); ++i)
        out.append(isNameChar(name[i], i == 0, colonAllowed) ? name[i] : '_');
}

bool isValidUtf8(QByteArrayView bytes)
{
    for (char c : bytes) {
        if (uchar(c) >= 0x80)
            return QUtf8StringView(bytes).isValidUtf8();
    }
    return true;
}

// Escapes backslash and newline (and the double quote where `quote` says so); bytes that are not
// UTF-8 are replaced first, so a hostile value can neither break the line nor the encoding.
void appendEscaped(QByteArray &out, QByteArrayView text, bool quote)
{
    QByteArray repaired;
    if (!isValidUtf8(text)) {
        repaired = QString::fromUtf8(text).toUtf8();
        text = repaired;
    }
    for (char c : text) {
        switch (c) {
        case '\\': out.append("\\\\"); break;
        case '\n': out.append("\\n"); break;
        case '"':
            if (quote)
                out.append("\\\"");
            else
                out.append(c);
            break;
        default: out.append(c); break;
        }
    }
}

void appendDouble(QByteArray &out, double value)
{
    if (std::isnan(value)) {
        out.append("NaN");
        return;
    }
    if (std::isinf(value)) {
        out.append(value > 0 ? "+Inf" : "-Inf");
        return;
    }
    char buffer[32];
    const auto r = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, r.ptr - buffer);
}

void appendUnsigned(QByteArray &out, quint64 value)
{
    char buffer[24];
    const auto r = std::to_chars(buffer, buffer + sizeof buffer, value);
    out.append(buffer, r.ptr - buffer);
}

// A bucket bound as the le label shows it. OpenMetrics wants the canonical float form: "1.0",
// not "1".
QByteArray boundText(double bound, ExpositionFormat format)
{
    QByteArray text;
    appendDouble(text, bound);
    if (format == ExpositionFormat::OpenMetrics && std::isfinite(bound)
        && !text.contains('.') && !text.contains('e')) {
        text.append(".0");
    }
    return text;
}

// `{a="x",b="y"` without the closing brace (le may follow); empty without labels.
QByteArray labelPrefix(const MetricLabels &labels)
{
    QByteArray out;
    for (const auto &[name, value] : labels) {
        out.append(out.isEmpty() ? '{' : ',');
        appendName(out, name, false);
        out.append("=\"");
        appendEscaped(out, value, true);
        out.append('"');
    }
    return out;
}

void appendSample(QByteArray &out, QByteArrayView name, QByteArrayView suffix,
                  const QByteArray &labels)
{
    out.append(name);
    out.append(suffix);
    if (!labels.isEmpty()) {
        out.append(labels);
        out.append('}');
    }
    out.append(' ');
}

// One media range of an Accept field: its type and q (1 when absent, 0 when unusable).
struct MediaRange
{
    QByteArrayView type;
    double q = 1;
};

MediaRange parseRange(QByteArrayView range)
{
    MediaRange r;
    qsizetype semi = range.indexOf(';');
    r.type = httpTrimOws(semi < 0 ? range : range.first(semi));
    while (semi >= 0) {
        range = range.sliced(semi + 1);
        semi = range.indexOf(';');
        const QByteArrayView param = httpTrimOws(semi < 0 ? range : range.first(semi));
        const qsizetype eq = param.indexOf('=');
        if (eq < 0)
            continue;
        const QByteArrayView key = httpTrimOws(param.first(eq));
        QByteArrayView value = httpTrimOws(param.sliced(eq + 1));
        if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
            value = value.sliced(1, value.size() - 2);
        if (httpEqualsIgnoreCase(key, "q")) {
            bool ok = false;
            const double q = QByteArray(value.data(), value.size()).toDouble(&ok);
            r.q = ok ? q : 0;
        } else if (httpEqualsIgnoreCase(key, "version") && httpEqualsIgnoreCase(r.type, "application/openmetrics-text")
                   && value != "1.0.0" && value != "0.0.1") {
            r.q = 0;   // a version this writer does not produce
        }
    }
    return r;
}

} // namespace

ExpositionFormat negotiateExposition(QByteArrayView accept)
{
    double openMetrics = 0;
    double text = 0;
    while (!accept.isEmpty()) {
        const qsizetype comma = accept.indexOf(',');
        const MediaRange r = parseRange(comma < 0 ? accept : accept.first(comma));
        accept = comma < 0 ? QByteArrayView() : accept.sliced(comma + 1);
        if (httpEqualsIgnoreCase(r.type, "application/openmetrics-text"))
            openMetrics = std::max(openMetrics, r.q);
        else if (httpEqualsIgnoreCase(r.type, "text/plain") || httpEqualsIgnoreCase(r.type, "text/*")
                 || httpEqualsIgnoreCase(r.type, "*/*"))
            text = std::max(text, r.q);
    }
    return openMetrics > 0 && openMetrics >= text ? ExpositionFormat::OpenMetrics
                                                  : ExpositionFormat::PrometheusText;
}

QByteArrayView expositionContentType(ExpositionFormat format)
{
    return format == ExpositionFormat::OpenMetrics
               ? QByteArrayView("application/openmetrics-text; version=1.0.0; charset=utf-8")
               : QByteArrayView("text/plain; version=0.0.4; charset=utf-8");
}

QByteArray writeExposition(const QList<MetricFamily> &families, ExpositionFormat format)
{
    const bool om = format == ExpositionFormat::OpenMetrics;
    QByteArray out;
    out.reserve(4096);
    for (const MetricFamily &family : families) {
        QByteArray name;
        appendName(name, family.name, true);
        // OpenMetrics names a counter's family without "_total" and its sample with it.
        QByteArray familyName = name;
        QByteArrayView sampleSuffix;
        if (family.type == MetricType::Counter) {
            if (om) {
                if (familyName.endsWith("_total"))
                    familyName.chop(6);
                sampleSuffix = "_total";
            }
        }
        const QByteArray &sampleName = om ? familyName : name;

        out.append("# HELP ");
        out.append(familyName);
        out.append(' ');
        appendEscaped(out, family.help, om);
        out.append("\n# TYPE ");
        out.append(familyName);
        switch (family.type) {
        case MetricType::Counter: out.append(" counter\n"); break;
        case MetricType::Gauge: out.append(" gauge\n"); break;
        case MetricType::Histogram: out.append(" histogram\n"); break;
        }
        if (om && !family.unit.isEmpty() && familyName.endsWith("_" + family.unit)) {
            out.append("# UNIT ");
            out.append(familyName);
            out.append(' ');
            out.append(family.unit);
            out.append('\n');
        }

        if (family.type != MetricType::Histogram) {
            for (const MetricSeries &s : family.series) {
                appendSample(out, sampleName, sampleSuffix, labelPrefix(s.labels));
                appendDouble(out, s.value);
                out.append('\n');
            }
            continue;
        }
        QList<QByteArray> les;
        les.reserve(family.bounds.size() + 1);
        for (double bound : family.bounds)
            les.append(boundText(bound, format));
        les.append("+Inf");
        for (const MetricSeries &s : family.series) {
            const QByteArray labels = labelPrefix(s.labels);
            const QByteArray bucketLabels = labels.isEmpty() ? QByteArray("{le=\"") : labels + ",le=\"";
            quint64 count = 0;
            for (qsizetype i = 0; i < les.size(); ++i) {
                // A series with fewer counts than bounds repeats its last one (cumulative).
                if (i < s.buckets.size())
                    count = s.buckets.at(i);
                out.append(sampleName);
                out.append("_bucket");
                out.append(bucketLabels);
                out.append(les.at(i));
                out.append("\"} ");
                appendUnsigned(out, count);
                out.append('\n');
            }
            appendSample(out, sampleName, "_count", labels);
            appendUnsigned(out, count);
            out.append('\n');
            appendSample(out, sampleName, "_sum", labels);
            appendDouble(out, s.sum);
            out.append('\n');
        }
    }
    if (om)
        out.append("# EOF\n");
    return out;
}

} // namespace Gatehouse

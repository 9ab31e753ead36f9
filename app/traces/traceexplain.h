// "Explain": why the gateway answered a traced request the way it did, in sentences: the policy
// decisions the record carries, else what the answer itself says (the gateway's error code,
// WWW-Authenticate's error_description, Retry-After and the RateLimit headers).
#pragma once

#include "telemetry/tracerecord.h"

#include <QCoreApplication>
#include <QStringList>

namespace Gatehouse {

class TraceExplainer
{
    Q_DECLARE_TR_FUNCTIONS(Gatehouse::TraceExplainer)
public:
    // The verdict first ("Refused by authentication: token expired 3 min ago"), then details.
    static QStringList explain(const TraceRecord &record);
};

// The value of a header of the record's response (first match, case-insensitive).
QByteArray responseHeader(const TraceRecord &record, QByteArrayView name);

} // namespace Gatehouse

// The API model's small behaviours: version names and which upstream an operation calls.
#include "apimodel.h"

namespace Gatehouse {

QString openApiVersionName(OpenApiVersion version)
{
    switch (version) {
    case OpenApiVersion::Swagger20: return QStringLiteral("2.0");
    case OpenApiVersion::OpenApi30: return QStringLiteral("3.0");
    case OpenApiVersion::OpenApi31: return QStringLiteral("3.1");
    }
    return QStringLiteral("3.0");
}

const EndpointSet &effectiveEndpoints(const ApiSpec &api, const Operation &op)
{
    if (op.extensions.productionEndpoints && !op.extensions.productionEndpoints->isEmpty())
        return *op.extensions.productionEndpoints;
    if (api.extensions.productionEndpoints && !api.extensions.productionEndpoints->isEmpty())
        return *api.extensions.productionEndpoints;
    if (!op.serverEndpoints.isEmpty())
        return op.serverEndpoints;
    return api.serverEndpoints;
}

} // namespace Gatehouse

// The body transform policies: json-to-xml and xml-to-json on request and/or response bodies, by
// the converter's documented rules (jsonxml.h).
#pragma once

namespace Gatehouse {

struct PolicyDescriptor;

PolicyDescriptor jsonToXmlPolicy();
PolicyDescriptor xmlToJsonPolicy();

} // namespace Gatehouse

// An MGW request interceptor in Ballerina: not carried over, Gatehouse says so when it opens the project.
import wso2/gateway;
import ballerina/http;

public function validateRequest(http:Caller outboundEp, http:Request req) {
}

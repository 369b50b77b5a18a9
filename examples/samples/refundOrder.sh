curl -s -X POST https://testapi.multisafepay.com/v1/json/orders/order-1001/refunds \
  -H "api_key: $MSP_API_KEY" -H "content-type: application/json" \
  -d '{"currency":"EUR","amount":500,"description":"one item returned"}'

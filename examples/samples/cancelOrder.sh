curl -s -X PATCH https://testapi.multisafepay.com/v1/json/orders/order-1002 \
  -H "api_key: $MSP_API_KEY" -H "content-type: application/json" \
  -d '{"status":"cancelled","exclude_order":true}'

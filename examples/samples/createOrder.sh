curl -s -X POST https://testapi.multisafepay.com/v1/json/orders \
  -H "api_key: $MSP_API_KEY" -H "content-type: application/json" \
  -d '{"type":"redirect","order_id":"order-'"$(date +%s%N)"'","gateway":"KBC","currency":"EUR","amount":2450,
       "description":"Order 1001","payment_options":{"notification_url":"https://shop.example/webhooks/multisafepay",
       "notification_method":"POST","redirect_url":"https://shop.example/order/1001/thanks",
       "cancel_url":"https://shop.example/order/1001/cancelled"}}'

# REFUND_ID: the refund_id of the refund's answer (POST /orders/{order_id}/refunds)
curl -s -X PATCH "https://testapi.multisafepay.com/v1/json/orders/order-1001/refunds/$REFUND_ID" \
  -H "api_key: $MSP_API_KEY" -H "content-type: application/json" \
  -d '{"status":"void","description":"issued by mistake"}'

# The next page: the same filters plus after=<pager.cursor.after of this answer>
curl -s "https://testapi.multisafepay.com/v1/json/transactions?payment_method=KBC&financial_status=completed&limit=100" -H "api_key: $MSP_API_KEY"

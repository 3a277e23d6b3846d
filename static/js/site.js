/* site behaviour: replaced later */
